package dev.gatehouse.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Closed-loop load for the OpenID provider's multi-step flows, which wrk cannot chain. Modes:
 *
 * <pre>
 * sessions      --base URL --client-id ID --redirect-uri URI --count N --email-prefix P --out FILE
 *               N hosted logins (dev mailbox); FILE (mode 600) gets one browser's Cookie header per line
 *               (its gatehouse_browser and gatehouse_session cookies)
 * login         --base URL --client-id ID --redirect-uri URI --sessions FILE --scope S --concurrency C --seconds T
 *               [--warmup-seconds W]
 *               warm-session logins: authorize with worker w's cookies → 302 with code → POST /oauth/token
 * refresh       SOURCE --client-id ID --scope S --concurrency C --seconds T [--warmup-seconds W]
 *               each worker chains its own refresh token (rotation: the answer's token is used next)
 * access-token  SOURCE --client-id ID --scope S
 *               prints one access token (for the static introspection and userinfo requests)
 * refresh-tokens SOURCE --client-id ID --scope S --count N --out FILE
 *               N fresh refresh tokens, one a line, in FILE (mode 600), each from its own login (Gatehouse: worker
 *               w's session cookie, so the sessions file needs N lines) or password grant (Keycloak); for
 *               bench/lib/refresh.lua, which drives the refresh grant with wrk
 * SOURCE: Gatehouse  --base URL --redirect-uri URI --sessions FILE   (a warm-session login per worker)
 *         Keycloak   --token-url URL --username U                    (a password grant per worker; BENCH_USER_PASSWORD)
 * </pre>
 *
 * The client secret comes from {@code BENCH_CLIENT_SECRET} (never on the command line). The load modes print
 * {@code rps=… p50_ms=… p99_ms=… non2xx=…} on stdout (one operation = one login, or one refresh) and the first
 * error on stderr. Preparing the workers (sessions, first refresh tokens) and the optional warm-up happen before
 * the clock starts; the line {@code measuring} on stdout marks the start.
 */
public final class OidcLoadGenerator {
    private static final int SETUP_THREADS = 8;
    private static final String MARKER = "measuring";

    private OidcLoadGenerator() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length % 2 != 1) {
            usage("expected MODE followed by --name value pairs");
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage("not an option: " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        Options o = new Options(options);
        int status;
        try {
            status = switch (args[0]) {
                case "sessions" -> sessions(o);
                case "login" -> login(o);
                case "refresh" -> refresh(o);
                case "access-token" -> accessToken(o);
                case "refresh-tokens" -> refreshTokens(o);
                default -> {
                    usage("unknown mode " + args[0]);
                    yield 2;
                }
            };
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("oidc-loadgen: " + e.getMessage());
            status = 1;
        }
        System.exit(status);
    }

    private static int sessions(Options o) throws Exception {
        int count = o.positive("count");
        String prefix = o.required("email-prefix");
        try (FormHttp http = new FormHttp(o.required("base"))) {
            HostedLogin login = new HostedLogin(http, gatehouseClient(http, o));
            List<String> cookies = inParallel(count, w -> login.signIn(prefix + "-" + w + "@bench.test",
                    "openid email profile"));
            Path out = Path.of(o.required("out"));
            writePrivate(out, cookies);
            System.err.println("oidc-loadgen: " + count + " hosted logins done, browser cookies in " + out);
        }
        return 0;
    }

    private static int login(Options o) throws Exception {
        int concurrency = o.positive("concurrency");
        String scope = o.required("scope");
        List<String> cookies = sessionCookies(o, concurrency);
        try (FormHttp http = new FormHttp(o.required("base"))) {
            OidcClient client = gatehouseClient(http, o);
            ClosedLoop.Operation[] logins = new ClosedLoop.Operation[concurrency];
            for (int w = 0; w < concurrency; w++) {
                String cookie = cookies.get(w);
                logins[w] = () -> client.loginWithSession(cookie, scope).accessToken() != null;
            }
            return measure(o, logins);
        }
    }

    private static int refresh(Options o) throws Exception {
        int concurrency = o.positive("concurrency");
        try (FormHttp http = new FormHttp(o.sourceUrl())) {
            TokenSource source = tokenSource(http, o, concurrency);
            OidcClient client = source.client();
            List<String> first = inParallel(concurrency, w -> source.obtain(w).refreshToken()
                    .orElseThrow(() -> new IllegalStateException("no refresh token issued (scope?)")));
            ClosedLoop.Operation[] chains = new ClosedLoop.Operation[concurrency];
            for (int w = 0; w < concurrency; w++) {
                chains[w] = new RefreshChain(client, source, w, first.get(w));
            }
            return measure(o, chains);
        }
    }

    private static int refreshTokens(Options o) throws Exception {
        int count = o.positive("count");
        try (FormHttp http = new FormHttp(o.sourceUrl())) {
            TokenSource source = tokenSource(http, o, count);
            List<String> tokens = inParallel(count, w -> source.obtain(w).refreshToken()
                    .orElseThrow(() -> new IllegalStateException("no refresh token issued (scope?)")));
            writePrivate(Path.of(o.required("out")), tokens);
            System.err.println("oidc-loadgen: " + count + " refresh tokens in " + o.required("out"));
        }
        return 0;
    }

    /** Writes secrets (cookies, tokens): the file is created with mode 600 before anything goes in. */
    private static void writePrivate(Path out, List<String> lines) throws IOException {
        Files.deleteIfExists(out);
        Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(out, lines, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static int accessToken(Options o) throws Exception {
        try (FormHttp http = new FormHttp(o.sourceUrl())) {
            System.out.println(tokenSource(http, o, 1).obtain(0).accessToken());
        }
        return 0;
    }

    /** Where a worker's first tokens come from: a warm-session login (Gatehouse) or a password grant (Keycloak). */
    private interface TokenSource {
        OidcClient client();

        OidcClient.Tokens obtain(int worker);
    }

    private static TokenSource tokenSource(FormHttp http, Options o, int workers) throws IOException {
        String scope = o.required("scope");
        if (o.has("token-url")) {
            String username = o.required("username");
            String password = Optional.ofNullable(System.getenv("BENCH_USER_PASSWORD"))
                    .orElseThrow(() -> new IllegalArgumentException("BENCH_USER_PASSWORD is not set"));
            // the token URL is the FormHttp's own URL, hence the empty path
            OidcClient client = new OidcClient(http, "", "", o.required("client-id"), secret(), "");
            return new TokenSource() {
                public OidcClient client() { return client; }

                public OidcClient.Tokens obtain(int worker) { return client.password(username, password, scope); }
            };
        }
        OidcClient client = gatehouseClient(http, o);
        List<String> cookies = sessionCookies(o, workers);
        return new TokenSource() {
            public OidcClient client() { return client; }

            public OidcClient.Tokens obtain(int worker) { return client.loginWithSession(cookies.get(worker), scope); }
        };
    }

    /**
     * One worker's rotation chain: each refresh uses the token the previous answer carried. A failed refresh
     * breaks the chain (the server may have rotated it, and reuse revokes the grant), so the worker starts a new
     * one from its source; that operation counts as an error, and its latency includes the new start.
     */
    private static final class RefreshChain implements ClosedLoop.Operation {
        private final OidcClient client;
        private final TokenSource source;
        private final int worker;
        private String current;

        RefreshChain(OidcClient client, TokenSource source, int worker, String first) {
            this.client = client;
            this.source = source;
            this.worker = worker;
            this.current = first;
        }

        @Override
        public boolean run() {
            try {
                current = client.refresh(current).refreshToken()
                        .orElseThrow(() -> new IllegalStateException("refresh answered without a new refresh token"));
                return true;
            } catch (RuntimeException e) {
                current = source.obtain(worker).refreshToken().orElseThrow();
                throw e;
            }
        }
    }

    private static OidcClient gatehouseClient(FormHttp http, Options o) {
        return new OidcClient(http, "/oauth/authorize", "/oauth/token", o.required("client-id"), secret(),
                o.required("redirect-uri"));
    }

    private static List<String> sessionCookies(Options o, int needed) throws IOException {
        List<String> cookies = Files.readAllLines(Path.of(o.required("sessions")), StandardCharsets.US_ASCII)
                .stream().filter(line -> !line.isBlank()).toList();
        if (cookies.size() < needed) {
            throw new IllegalArgumentException(needed + " browsers' cookies needed, the file has " + cookies.size());
        }
        return cookies;
    }

    private static String secret() {
        return Optional.ofNullable(System.getenv("BENCH_CLIENT_SECRET"))
                .orElseThrow(() -> new IllegalArgumentException("BENCH_CLIENT_SECRET is not set"));
    }

    private interface WorkerTask<T> {
        T run(int worker) throws Exception;
    }

    /** Runs {@code task} for workers 0..count-1 on a few threads; the first failure fails the whole setup. */
    private static <T> List<T> inParallel(int count, WorkerTask<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(SETUP_THREADS, count));
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int w = 0; w < count; w++) {
                final int worker = w;
                futures.add(pool.submit(() -> task.run(worker)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                try {
                    results.add(future.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * {@code --warmup-seconds} of unmeasured load first (this JVM's own JIT), then the line {@value #MARKER} on
     * stdout (bench/lib/load.sh starts its CPU accounting there), then the measured run and its result line.
     */
    private static int measure(Options o, ClosedLoop.Operation[] operations) throws InterruptedException {
        int warmup = o.has("warmup-seconds") ? Integer.parseInt(o.required("warmup-seconds")) : 0;
        if (warmup > 0) {
            ClosedLoop.Result result = ClosedLoop.run(operations.length, Duration.ofSeconds(warmup), w -> operations[w]);
            System.err.println("warm-up: " + result.line("non2xx"));
        }
        System.out.println(MARKER);
        System.out.flush();
        return report(ClosedLoop.run(operations.length, o.seconds(), w -> operations[w]));
    }

    private static int report(ClosedLoop.Result result) {
        if (result.firstError() != null) {
            System.err.println("first error: " + OidcClient.abbreviate(result.firstError()));
        }
        System.err.printf(java.util.Locale.ROOT, "operations=%d duration_s=%.2f errors=%d%n", result.operations(),
                result.duration().toNanos() / 1e9, result.errors());
        System.out.println(result.line("non2xx"));
        return 0;
    }

    private static void usage(String problem) {
        System.err.println("oidc-loadgen: " + problem + "\nusage: see the javadoc of " + OidcLoadGenerator.class.getName()
                + " or bench/README.md");
        System.exit(2);
    }

    private record Options(Map<String, String> values) {
        boolean has(String name) {
            return values.containsKey(name);
        }

        String required(String name) {
            String value = values.get(name);
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return value;
        }

        int positive(String name) {
            try {
                int value = Integer.parseInt(required(name));
                if (value < 1 || value > 10_000) {
                    throw new IllegalArgumentException("--" + name + " must be 1..10000");
                }
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a number");
            }
        }

        Duration seconds() {
            return Duration.ofSeconds(positive("seconds"));
        }

        /** The URL the grants go to: Keycloak's token endpoint, or Gatehouse's base URL. */
        String sourceUrl() {
            return has("token-url") ? required("token-url") : required("base");
        }
    }
}
