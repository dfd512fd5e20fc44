package dev.gatehouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * SP-initiated SAML logins end to end (bench/saml-login-bench.sh, docs/DECISIONS.md D-KB1…D-KB3), through Gatehouse's
 * SAML SP and through Keycloak's own SAML brokering of the same IdP (Keycloak realm {@code idp}), one whole browser
 * journey per login with a fresh cookie jar:
 *
 * <pre>
 * gatehouse  GET /oauth/authorize?connection_id=… → 302 to the IdP (AuthnRequest, HTTP-Redirect) → the IdP's login
 *            form → POST credentials → the IdP's auto-post page → POST SAMLResponse to Gatehouse's ACS → 302 to the
 *            app's redirect URI with a code → POST /oauth/token (the app's code exchange)
 * keycloak   GET /realms/broker/…/auth?kc_idp_hint=… → 302s to the IdP (AuthnRequest, HTTP-Redirect) → the same
 *            login form and auto-post page → POST SAMLResponse to the broker endpoint → 302s to the redirect URI
 *            with a code → POST /realms/broker/…/token
 * </pre>
 *
 * Options ({@code --name value}): {@code --gatehouse URL --gatehouse-client-id ID --connection-id conn_…
 * --keycloak URL --broker-realm R --broker-client-id ID --idp-alias A --idp-realm R --username U --redirect-uri URI
 * --logins N --warmup N --concurrency "1 4" [--gatehouse-pids "…"] [--keycloak-pids "…"] [--clk-tck 100]}.
 * Secrets from the environment: {@code BENCH_CLIENT_SECRET} (Gatehouse client), {@code BENCH_BROKER_CLIENT_SECRET},
 * {@code BENCH_USER_PASSWORD}. Per concurrency level, Gatehouse then Keycloak, each N logins (after one warm-up of
 * {@code --warmup} logins per path at the highest level). Prints one line per series and then Markdown tables: logins/s,
 * p50/p99, the IdP's part (time in requests to {@code <keycloak>/realms/<idp-realm>/}) and, with the pids, the servers'
 * CPU per login read from /proc.
 */
public final class SamlLoginBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCOPE = "openid email profile";

    private SamlLoginBench() {}

    /** One way to log in: where the app sends the browser and where it exchanges the code. */
    private record LoginPath(String name, String label, String authorizeUrl, String extraParameter, String tokenUrl,
                             String clientId, String clientSecret) {}

    /** What one series measured. */
    private record Series(LoginPath path, int concurrency, ClosedLoop.Result result, long[] idpNanos, long[] spNanos,
                          double idpShare, Map<String, Double> cpuMsPerLogin) {}

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("saml-login-bench: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                fail("not an option: " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        if (args.length % 2 != 0) {
            fail("options come in --name value pairs");
        }
        String keycloak = strip(required(options, "keycloak"));
        String gatehouse = strip(required(options, "gatehouse"));
        String redirectUri = required(options, "redirect-uri");
        String brokerRealm = required(options, "broker-realm");
        String idpPrefix = keycloak + "/realms/" + required(options, "idp-realm") + "/";
        TimedBrowser.Credentials user = new TimedBrowser.Credentials(required(options, "username"), environment("BENCH_USER_PASSWORD"));
        int logins = positive(options, "logins");
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "0"));
        int[] levels = Arrays.stream(required(options, "concurrency").trim().split("\\s+")).mapToInt(Integer::parseInt)
                .toArray();
        long clockTicks = Long.parseLong(options.getOrDefault("clk-tck", "100"));
        Map<String, List<Long>> pids = new LinkedHashMap<>();
        pids.put("Gatehouse", parsePids(options.getOrDefault("gatehouse-pids", "")));
        pids.put("Keycloak", parsePids(options.getOrDefault("keycloak-pids", "")));

        List<LoginPath> paths = List.of(
                new LoginPath("gatehouse", "Gatehouse SAML SP", gatehouse + "/oauth/authorize",
                        "connection_id=" + FormHttp.encode(required(options, "connection-id")), gatehouse + "/oauth/token",
                        required(options, "gatehouse-client-id"), environment("BENCH_CLIENT_SECRET")),
                new LoginPath("keycloak", "Keycloak SAML broker",
                        keycloak + "/realms/" + brokerRealm + "/protocol/openid-connect/auth",
                        "kc_idp_hint=" + FormHttp.encode(required(options, "idp-alias")),
                        keycloak + "/realms/" + brokerRealm + "/protocol/openid-connect/token",
                        required(options, "broker-client-id"), environment("BENCH_BROKER_CLIENT_SECRET")));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

        int highest = Arrays.stream(levels).max().orElse(1);
        for (LoginPath path : paths) {
            // One login first: a broken setup fails here, with the server's answer, before anything is measured.
            new LoginOperation(http, path, redirectUri, idpPrefix, user).run();
            if (warmup > 0) {
                ClosedLoop.Result result = ClosedLoop.runCount(highest, warmup,
                        w -> new LoginOperation(http, path, redirectUri, idpPrefix, user));
                System.err.println("saml-login-bench: warm-up " + path.name() + " c" + highest + ": " + result.line("errors"));
            }
        }
        List<Series> measured = new ArrayList<>();
        for (int concurrency : levels) {
            for (LoginPath path : paths) {
                measured.add(measure(http, path, concurrency, logins, redirectUri, idpPrefix, user, pids, clockTicks));
            }
        }
        report(measured, logins, pids);
    }

    private static Series measure(HttpClient http, LoginPath path, int concurrency, int logins, String redirectUri,
                                  String idpPrefix, TimedBrowser.Credentials user, Map<String, List<Long>> pids,
                                  long clockTicks) throws InterruptedException {
        LoginOperation[] workers = new LoginOperation[concurrency];
        for (int w = 0; w < concurrency; w++) {
            workers[w] = new LoginOperation(http, path, redirectUri, idpPrefix, user);
        }
        Map<String, Long> cpuBefore = cpuTicks(pids);
        ClosedLoop.Result result = ClosedLoop.runCount(concurrency, logins, w -> workers[w]);
        Map<String, Long> cpuAfter = cpuTicks(pids);
        Map<String, Double> cpuMsPerLogin = new LinkedHashMap<>();
        cpuBefore.forEach((server, ticks) -> cpuMsPerLogin.put(server,
                (cpuAfter.get(server) - ticks) * 1000.0 / clockTicks / Math.max(1, result.operations())));
        long[] idp = Arrays.stream(workers).flatMapToLong(w -> w.idpNanos.stream().mapToLong(Long::longValue)).sorted()
                .toArray();
        long[] sp = Arrays.stream(workers).flatMapToLong(w -> w.restNanos.stream().mapToLong(Long::longValue)).sorted()
                .toArray();
        long idpTotal = Arrays.stream(idp).sum();
        double share = idpTotal / (double) Math.max(1, idpTotal + Arrays.stream(sp).sum());
        Series series = new Series(path, concurrency, result, idp, sp, share, cpuMsPerLogin);
        System.out.println(line(series));
        if (result.firstError() != null) {
            System.err.println("saml-login-bench: first error (" + path.name() + " c" + concurrency + "): "
                    + OidcClient.abbreviate(result.firstError()));
        }
        return series;
    }

    /**
     * One worker's logins: each one a new {@link TimedBrowser} (fresh cookies, as a new visitor) and a new PKCE pair
     * and state; the app's code exchange ends it. Keeps each successful login's IdP part and the rest.
     */
    private static final class LoginOperation implements ClosedLoop.Operation {
        private final HttpClient http;
        private final LoginPath path;
        private final String redirectUri;
        private final String idpPrefix;
        private final TimedBrowser.Credentials user;
        final List<Long> idpNanos = new ArrayList<>();
        final List<Long> restNanos = new ArrayList<>();

        LoginOperation(HttpClient http, LoginPath path, String redirectUri, String idpPrefix, TimedBrowser.Credentials user) {
            this.http = http;
            this.path = path;
            this.redirectUri = redirectUri;
            this.idpPrefix = idpPrefix;
            this.user = user;
        }

        @Override
        public boolean run() {
            long begin = System.nanoTime();
            OidcClient.Pkce pkce = OidcClient.Pkce.next();
            String state = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            String authorize = path.authorizeUrl() + "?" + FormHttp.form("response_type", "code", "client_id",
                    path.clientId(), "redirect_uri", redirectUri, "scope", SCOPE, "state", state, "nonce", "n-" + state,
                    "code_challenge", pkce.challenge(), "code_challenge_method", "S256") + "&" + path.extraParameter();
            TimedBrowser browser = new TimedBrowser(http, idpPrefix);
            String callback = browser.journey(authorize, redirectUri, user);
            if (!FormHttp.queryParameter(callback, "state").orElse("").equals(state)) {
                throw new IllegalStateException("state not returned: " + OidcClient.abbreviate(callback));
            }
            String code = FormHttp.queryParameter(callback, "code")
                    .orElseThrow(() -> new IllegalStateException("no code at the redirect URI: " + OidcClient.abbreviate(callback)));
            exchange(code, pkce);
            long total = System.nanoTime() - begin;
            idpNanos.add(browser.idpNanos());
            restNanos.add(total - browser.idpNanos());
            return true;
        }

        /** The app's code exchange ({@code client_secret_post}, PKCE): must answer an access and an ID token. */
        private void exchange(String code, OidcClient.Pkce pkce) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(path.tokenUrl())).timeout(Duration.ofSeconds(30))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(FormHttp.form("grant_type", "authorization_code", "code",
                            code, "redirect_uri", redirectUri, "code_verifier", pkce.verifier(), "client_id",
                            path.clientId(), "client_secret", path.clientSecret()))).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                JsonNode json = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
                if (json == null || json.path("access_token").asText("").isEmpty()
                        || json.path("id_token").asText("").isEmpty()) {
                    throw new IllegalStateException("token endpoint: HTTP " + response.statusCode() + " "
                            + OidcClient.abbreviate(response.body()));
                }
            } catch (IOException e) {
                throw new IllegalStateException("token endpoint: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String line(Series s) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "series path=%s conc=%d logins=%d seconds=%.2f logins_per_s=%.2f p50_ms=%.1f p99_ms=%.1f "
                        + "idp_p50_ms=%.1f rest_p50_ms=%.1f idp_share=%.2f errors=%d", s.path().name(), s.concurrency(),
                s.result().operations(), s.result().duration().toNanos() / 1e9, s.result().perSecond(),
                s.result().p50Nanos() / 1e6, s.result().p99Nanos() / 1e6, percentile(s.idpNanos(), 0.5) / 1e6,
                percentile(s.spNanos(), 0.5) / 1e6, s.idpShare(), s.result().errors()));
        s.cpuMsPerLogin().forEach((server, ms) -> line.append(String.format(Locale.ROOT, " cpu_ms_per_login_%s=%.1f",
                server.toLowerCase(Locale.ROOT), ms)));
        return line.toString();
    }

    private static void report(List<Series> measured, int logins, Map<String, List<Long>> pids) {
        boolean cpu = pids.values().stream().allMatch(list -> !list.isEmpty());
        System.out.println();
        System.out.println("## Results (" + logins + " logins per series; p50/p99 over those logins)");
        System.out.println();
        System.out.println("| path | conc | logins/s | p50 ms | p99 ms | IdP p50 ms | rest p50 ms | IdP share | errors"
                + (cpu ? " | CPU ms/login Gatehouse | CPU ms/login Keycloak |" : " |"));
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:" + (cpu ? "|---:|---:|" : "|"));
        for (Series s : measured) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %d | %.2f | %.1f | %.1f | %.1f | %.1f | %.0f %% | %d |",
                    s.path().label(), s.concurrency(), s.result().perSecond(), s.result().p50Nanos() / 1e6,
                    s.result().p99Nanos() / 1e6, percentile(s.idpNanos(), 0.5) / 1e6, percentile(s.spNanos(), 0.5) / 1e6,
                    100 * s.idpShare(), s.result().errors()));
            if (cpu) {
                row.append(String.format(Locale.ROOT, " %.1f | %.1f |", s.cpuMsPerLogin().get("Gatehouse"),
                        s.cpuMsPerLogin().get("Keycloak")));
            }
            System.out.println(row);
        }
        System.out.println();
        System.out.println("| conc | Gatehouse logins/s | Keycloak logins/s | Gatehouse / Keycloak | p50 ms Gatehouse / Keycloak "
                + "| rest p50 ms Gatehouse / Keycloak |");
        System.out.println("|---:|---:|---:|---:|---|---|");
        for (int i = 0; i + 1 < measured.size(); i += 2) {
            Series g = measured.get(i);
            Series k = measured.get(i + 1);
            System.out.printf(Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %.1f / %.1f | %.1f / %.1f |%n", g.concurrency(),
                    g.result().perSecond(), k.result().perSecond(), g.result().perSecond() / Math.max(1e-9, k.result().perSecond()),
                    g.result().p50Nanos() / 1e6, k.result().p50Nanos() / 1e6, percentile(g.spNanos(), 0.5) / 1e6,
                    percentile(k.spNanos(), 0.5) / 1e6);
        }
        System.out.println();
        System.out.println("IdP part: time in requests to Keycloak's idp realm (its login form, the credential check, the"
                + " signed SAMLResponse page), the same work on both paths. Rest: everything else of the login: the"
                + " SP (Gatehouse's authorize and ACS, or Keycloak's broker endpoints and redirects), the app's code"
                + " exchange, and this client.");
        if (cpu) {
            System.out.println("CPU ms/login: CPU time of each server's processes during the series (/proc) over the"
                    + " logins; on the Gatehouse path Keycloak's figure is the IdP's work alone, on the Keycloak path"
                    + " it is the IdP's plus the broker's.");
        }
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, Math.min(sorted.length - 1,
                (int) Math.ceil(q * sorted.length) - 1))];
    }

    /** utime + stime (clock ticks) of each server's processes. */
    private static Map<String, Long> cpuTicks(Map<String, List<Long>> pids) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        pids.forEach((server, list) -> {
            if (!list.isEmpty()) {
                ticks.put(server, list.stream().mapToLong(SamlLoginBench::processTicks).sum());
            }
        });
        return ticks;
    }

    private static long processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    private static List<Long> parsePids(String text) {
        return text.isBlank() ? List.of() : Arrays.stream(text.trim().split("\\s+")).map(Long::parseLong).toList();
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String required(Map<String, String> options, String name) {
        return Optional.ofNullable(options.get(name)).filter(v -> !v.isBlank())
                .orElseThrow(() -> new IllegalArgumentException("--" + name + " is required"));
    }

    private static int positive(Map<String, String> options, String name) {
        int value = Integer.parseInt(required(options, name));
        if (value < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1");
        }
        return value;
    }

    private static String environment(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isEmpty())
                .orElseThrow(() -> new IllegalArgumentException(name + " is not set"));
    }

    private static void fail(String problem) {
        System.err.println("saml-login-bench: " + problem + " (see the javadoc of " + SamlLoginBench.class.getName() + ")");
        System.exit(2);
    }
}
