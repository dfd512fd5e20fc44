package dev.gatehouse.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one Keycloak 26 of a test JVM (docs/DECISIONS.md D-KB4), shared by every test class that needs a real IdP
 * ({@link SamlKeycloakIdp}, {@link OidcKeycloakIdp} set up their realms on it): started on first use by
 * {@link #shared()}, stopped by a shutdown hook. Installed by {@code bench/lib/keycloak.sh} into {@code bench/.cache}
 * when missing (or taken from {@code GATEHOUSE_TEST_KEYCLOAK_HOME}); runs {@code kc.sh start-dev --db=dev-mem} on free
 * loopback ports with a random bootstrap-admin password, so it never touches another Keycloak's data. Startup is
 * bounded by {@link #START_TIMEOUT}. Each test makes its own realms (unique names) through {@link #admin}.
 */
final class KeycloakProcess {
    static final String VERSION = "26.7.3";
    static final Duration START_TIMEOUT = Duration.ofMinutes(10);
    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "admin-" + Long.toHexString(System.nanoTime());
    private static KeycloakProcess shared;

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private KeycloakProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The Keycloak of this test run, started on first use. */
    static synchronized KeycloakProcess shared() {
        if (shared == null) {
            shared = start();
            KeycloakProcess started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "keycloak-stop"));
        }
        return shared;
    }

    private static KeycloakProcess start() {
        Path home = home();
        try {
            int port = freePort();
            Path log = Files.createTempFile("keycloak-test-", ".log");
            ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev", "--db=dev-mem",
                    "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + freePort())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
            KeycloakProcess keycloak = new KeycloakProcess(builder.start(), port, log);
            keycloak.awaitReady();
            System.out.printf("KeycloakProcess: Keycloak %s on %s, log %s%n", VERSION, keycloak.baseUrl(), log);
            return keycloak;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Keycloak from " + home, e);
        }
    }

    private static Path home() {
        String configured = System.getenv("GATEHOUSE_TEST_KEYCLOAK_HOME");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("bench/lib/keycloak.sh"))) {
            root = root.getParent();
        }
        if (root == null) {
            throw new IllegalStateException("bench/lib/keycloak.sh not found above " + Path.of("").toAbsolutePath());
        }
        Path home = root.resolve("bench/.cache/keycloak-" + VERSION);
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            install(root);
        }
        return home;
    }

    private static void install(Path root) {
        String script = "source bench/lib/keycloak.sh && KEYCLOAK_VERSION=" + VERSION + " keycloak_install";
        try {
            Process install = new ProcessBuilder("bash", "-c", script).directory(root.toFile()).inheritIO().start();
            if (!install.waitFor(30, TimeUnit.MINUTES) || install.exitValue() != 0) {
                install.destroyForcibly();
                throw new IllegalStateException("failed: " + script);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited: " + tail());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl()
                        + "/realms/master/.well-known/openid-configuration")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // poll again below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                process.waitFor(1, TimeUnit.SECONDS); // the poll interval; returns at once if Keycloak exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        stop();
        throw new IllegalStateException("Keycloak did not start within " + START_TIMEOUT + ": " + tail());
    }

    /** Stops the process this fixture started (kc.sh and its JVM), bounded. */
    private void stop() {
        process.toHandle().descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of Keycloak's log, for failure messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String issuer(String realm) {
        return baseUrl() + "/realms/" + realm;
    }

    /** A call to the admin REST API ({@code path} under {@link #baseUrl()}) as the bootstrap admin; must be 2xx. */
    void admin(String method, String path, Object body) {
        HttpResponse<String> response = send(method, baseUrl() + path, adminToken(), "application/json",
                body == null ? null : TestGatehouse.toJson(body));
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " → " + response.statusCode() + " " + response.body());
        }
    }

    /** A GET of the admin REST API ({@code path} under {@link #baseUrl()}) as the bootstrap admin; must be 200. */
    JsonNode adminGet(String path) {
        HttpResponse<String> response = send("GET", baseUrl() + path, adminToken(), null, null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " → " + response.statusCode() + " " + response.body());
        }
        try {
            return TestGatehouse.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(response.body(), e);
        }
    }

    /** A GET without credentials (metadata, discovery documents). */
    String get(String url) {
        HttpResponse<String> response = send("GET", url, null, null, null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " → " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    /** A realm (enabled) with one user: password, verified email, first name Ada, last name Lovelace. */
    void createRealmWithUser(String realm, String username, String password, String email) {
        admin("POST", "/admin/realms", Map.of("realm", realm, "enabled", true));
        admin("POST", "/admin/realms/" + realm + "/users", Map.of("username", username, "email", email,
                "emailVerified", true, "firstName", "Ada", "lastName", "Lovelace", "enabled", true,
                "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false))));
    }

    private String adminToken() {
        HttpResponse<String> response = send("POST", baseUrl() + "/realms/master/protocol/openid-connect/token", null,
                "application/x-www-form-urlencoded", SamlBrowser.form(Map.of("grant_type", "password", "client_id",
                        "admin-cli", "username", ADMIN, "password", ADMIN_PASSWORD)));
        try {
            JsonNode body = TestGatehouse.JSON.readTree(response.body());
            return body.path("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException(response.body(), e);
        }
    }

    private HttpResponse<String> send(String method, String url, String token, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
