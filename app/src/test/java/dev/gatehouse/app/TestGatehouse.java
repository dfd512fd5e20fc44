package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.server.Server;
import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.organization.NewOrganization;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.RegionCode;
import dev.gatehouse.store.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A real Gatehouse for end-to-end tests: {@link Wiring} opened from a {@code GATEHOUSE_*} map,
 * bootstrapped by {@link Bootstrap}, serving on a free local port, on a fresh database
 * ({@link TestDatabases#preferred()}: PostgreSQL when {@code GATEHOUSE_TEST_POSTGRES_URL} is set,
 * else H2) and a temporary data directory. {@link #close()} stops it and drops the database.
 *
 * <p>The bootstrap environment's issuer is {@code http://127.0.0.1:<port>}, the port the server
 * really listens on (the port is picked first, then configured, because the issuer must name it).
 */
final class TestGatehouse implements AutoCloseable {
    static final String MASTER_KEY = Base64.getEncoder().encodeToString(
            "gatehouse-test-master-key-32byte".getBytes(StandardCharsets.US_ASCII));
    static final String CLIENT_ID = "skc_90000000000000001";
    static final String CLIENT_SECRET = "gsk_test_bootstrap_secret_0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int START_ATTEMPTS = 5;
    private static final AtomicInteger ENVIRONMENTS = new AtomicInteger();

    final Wiring wiring;
    final Server server;
    final Environment environment;
    private final int port;
    private final TestDatabases.TestDatabase database;
    private final Path dataDirectory;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private TestGatehouse(Wiring wiring, Server server, Environment environment, int port,
                          TestDatabases.TestDatabase database, Path dataDirectory) {
        this.wiring = wiring;
        this.server = server;
        this.environment = environment;
        this.port = port;
        this.database = database;
        this.dataDirectory = dataDirectory;
    }

    /** A started server, marked ready. */
    static TestGatehouse start() {
        return start(true, Map.of());
    }

    /** A started server with extra {@code GATEHOUSE_*} settings (TLS, limits). */
    static TestGatehouse start(Map<String, String> extraSettings) {
        return start(true, extraSettings);
    }

    /** A started server whose services read the time from {@code clock} (e.g. a {@link ShiftingClock}). */
    static TestGatehouse start(Map<String, String> extraSettings, Clock clock) {
        return start(true, extraSettings, clock);
    }

    /** A started server whose readiness has not been marked yet (as between start and the end of start-up). */
    static TestGatehouse startNotReady() {
        return start(false, Map.of());
    }

    private static TestGatehouse start(boolean markReady, Map<String, String> extraSettings) {
        return start(markReady, extraSettings, Clock.systemUTC());
    }

    private static TestGatehouse start(boolean markReady, Map<String, String> extraSettings, Clock clock) {
        long started = System.nanoTime();
        RuntimeException last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            TestDatabases.TestDatabase database = TestDatabases.preferred();
            Path dataDirectory = createTempDirectory();
            int port = freePort();
            Wiring wiring = null;
            Server server = null;
            try {
                Map<String, String> settings = environmentVariables(port, database, dataDirectory);
                settings.putAll(extraSettings);
                wiring = Wiring.open(GatehouseConfig.fromEnvironment(settings), clock);
                Environment environment = Bootstrap.run(wiring);
                server = wiring.server();
                server.start().join();
                assertThat(server.activeLocalPort()).isEqualTo(port);
                if (markReady) {
                    wiring.readiness.markReady();
                }
                System.out.printf("TestGatehouse: started on port %d with %s in %d ms%n", port, database,
                        (System.nanoTime() - started) / 1_000_000);
                return new TestGatehouse(wiring, server, environment, port, database, dataDirectory);
            } catch (RuntimeException e) {
                // The port picked may have been taken in the meantime: start over on a fresh database.
                last = e;
                if (server != null) {
                    server.stop().join();
                }
                if (wiring != null) {
                    wiring.close();
                }
                database.close();
                deleteTree(dataDirectory);
                if (!causedByBind(e)) {
                    throw e;
                }
            }
        }
        throw new IllegalStateException("could not start a test server in " + START_ATTEMPTS + " attempts", last);
    }

    private static Map<String, String> environmentVariables(int port, TestDatabases.TestDatabase database, Path data) {
        Map<String, String> env = new HashMap<>();
        env.put("GATEHOUSE_PORT", Integer.toString(port));
        env.put("GATEHOUSE_PUBLIC_URL", "http://127.0.0.1:" + port);
        env.put("GATEHOUSE_DATA_DIR", data.toString());
        env.put("GATEHOUSE_DATABASE_URL", database.jdbcUrl());
        env.put("GATEHOUSE_DATABASE_USER", database.user());
        env.put("GATEHOUSE_DATABASE_PASSWORD", database.password());
        env.put("GATEHOUSE_DATABASE_POOL_SIZE", "8");
        env.put("GATEHOUSE_MASTER_KEY", MASTER_KEY);
        env.put("GATEHOUSE_BOOTSTRAP_CLIENT_ID", CLIENT_ID);
        env.put("GATEHOUSE_BOOTSTRAP_CLIENT_SECRET", CLIENT_SECRET);
        env.put("GATEHOUSE_BLOCKING_THREADS", "16");
        env.put("GATEHOUSE_SHUTDOWN_QUIET_MILLIS", "0");
        env.put("GATEHOUSE_SHUTDOWN_TIMEOUT_MILLIS", "300");
        // Off by default: a test organization would route every @example.com login to the IdP simulator (D-SIM1).
        env.put("GATEHOUSE_TEST_ORGANIZATION", "false");
        return env;
    }

    // ------------------------------------------------------------------ where and who

    int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}: also the bootstrap environment's issuer. */
    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String clientId() {
        return CLIENT_ID;
    }

    String clientSecret() {
        return CLIENT_SECRET;
    }

    String environmentId() {
        return environment.id();
    }

    /** A fresh client_credentials access token of the bootstrap environment's management client. */
    String accessToken() {
        return accessToken(CLIENT_ID, CLIENT_SECRET);
    }

    String accessToken(String clientId, String clientSecret) {
        Response response = postForm("/oauth/token", Map.of(
                "grant_type", "client_credentials", "client_id", clientId, "client_secret", clientSecret), Map.of());
        assertThat(response.status()).as("token endpoint: %s", response.body()).isEqualTo(200);
        return response.json().path("access_token").asText();
    }

    /** Sets the bootstrap client's redirect URIs (which also lets their origins frame the admin portal). */
    void registerRedirectUris(List<String> uris) {
        Response registered = patchJson("/api/v1/clients/" + CLIENT_ID, accessToken(), Map.of("redirect_uris", uris));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(200);
    }

    /** Another environment on the same server, with its own signing key and management client. */
    record TestEnvironment(Environment environment, String clientId, String clientSecret) {
        String id() {
            return environment.id();
        }

        String issuer() {
            return environment.issuerUrl();
        }
    }

    TestEnvironment createEnvironment(String name, String issuer) {
        var created = wiring.environments.create(name, issuer, Optional.empty(), Optional.empty());
        wiring.environmentDirectory.invalidate();
        return new TestEnvironment(created.environment(), created.credentials().client().id(),
                created.credentials().plainSecret());
    }

    /**
     * An environment whose issuer host resolves nowhere: for tests that need their own organizations
     * (exact counts, paging) on a shared server. Its tokens work on the management API of this server.
     */
    TestEnvironment createIsolatedEnvironment() {
        int n = ENVIRONMENTS.incrementAndGet();
        return createEnvironment("isolated-" + n, "https://isolated-" + n + "-" + System.nanoTime() + ".gatehouse.invalid");
    }

    String accessToken(TestEnvironment environment) {
        return accessToken(environment.clientId(), environment.clientSecret());
    }

    /** Seeds an organization directly through the use case (fast; for list and paging tests). */
    Organization seedOrganization(String environmentId, String displayName, String externalId) {
        return wiring.organizations.create(environmentId, new NewOrganization(displayName, RegionCode.UNSPECIFIED,
                Optional.ofNullable(externalId), Map.of(), Optional.empty(), Optional.empty()));
    }

    // ------------------------------------------------------------------ audit

    List<AuditRecord> audit(String environmentId, String type) {
        return wiring.audit.recent(environmentId, Optional.of(type), Instant.EPOCH, 1000);
    }

    /** One row of the audit table, read directly (records without an environment are not reachable by recent()). */
    record AuditRow(long id, Optional<String> environmentId, String type, String outcome, Optional<String> actor,
                    Optional<String> reason, Optional<String> remoteAddress, String attributes,
                    Optional<String> reasonCode) {}

    /** The highest audit record ID so far: pass it to {@link #auditSince} to see what a request wrote. */
    long auditMark() {
        return wiring.database.jdbi().withHandle(h -> h.createQuery("select coalesce(max(id), 0) from audit_records")
                .mapTo(Long.class).one());
    }

    List<AuditRow> auditSince(long mark, String type) {
        return wiring.database.jdbi().withHandle(h -> h.createQuery(
                        "select * from audit_records where id > :mark and type = :type order by id")
                .bind("mark", mark).bind("type", type)
                .map((rs, ctx) -> new AuditRow(rs.getLong("id"), Optional.ofNullable(rs.getString("environment_id")),
                        rs.getString("type"), rs.getString("outcome"), Optional.ofNullable(rs.getString("actor")),
                        Optional.ofNullable(rs.getString("reason")), Optional.ofNullable(rs.getString("remote_address")),
                        rs.getString("attributes"), Optional.ofNullable(rs.getString("reason_code"))))
                .list());
    }

    // ------------------------------------------------------------------ HTTP/1.1

    /** A response with its body as text; {@link #json()} parses it. */
    record Response(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("response body is not JSON (status " + status + "): " + body, e);
            }
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Response get(String path, String token) {
        return send("GET", path, token, null, null);
    }

    Response delete(String path, String token) {
        return send("DELETE", path, token, null, null);
    }

    Response postJson(String path, String token, Object body) {
        return send("POST", path, token, "application/json", toJson(body));
    }

    Response patchJson(String path, String token, Object body) {
        return send("PATCH", path, token, "application/json", toJson(body));
    }

    Response postForm(String path, Map<String, String> form, Map<String, String> headers) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/x-www-form-urlencoded");
        return send("POST", path, all, HttpRequest.BodyPublishers.ofString(body));
    }

    /** {@code token} null: no Authorization header; {@code contentType} null: none. */
    Response send(String method, String path, String token, String contentType, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return send(method, path, headers, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    Response send(String method, String path, Map<String, String> headers, HttpRequest.BodyPublisher body) {
        return send(method, URI.create(baseUrl() + path), headers, body);
    }

    Response send(String method, URI uri, Map<String, String> headers, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).method(method, body);
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String toJson(Object body) {
        if (body instanceof String s) {
            return s;
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ teardown

    @Override
    public void close() {
        long started = System.nanoTime();
        try {
            wiring.readiness.markNotReady();
            server.stop().join();
        } finally {
            try {
                wiring.close();
            } finally {
                database.close();
                deleteTree(dataDirectory);
                System.out.printf("TestGatehouse: port %d stopped in %d ms%n", port, (System.nanoTime() - started) / 1_000_000);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("gatehouse-app-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temporary directory is harmless.
        }
    }
}
