package dev.gatehouse.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Keycloak 26 as the customer's OpenID provider for the OIDC-connection tests (this is the sso-oidc work's own
 * fixture; the SAML tests have theirs). Installs Keycloak with {@code bench/lib/keycloak.sh} when it is not in
 * {@code bench/.cache} yet (or {@code GATEHOUSE_TEST_KEYCLOAK_HOME} points elsewhere), starts it in dev mode with an
 * in-memory database on free loopback ports, and configures realms, clients and users through its admin API.
 * Startup is bounded ({@link #START_TIMEOUT}); {@link #close()} stops only the process it started.
 */
final class OidcKeycloakIdp implements AutoCloseable {
    static final String VERSION = "26.7.3";
    static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "admin-" + Long.toHexString(System.nanoTime());

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private OidcKeycloakIdp(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static OidcKeycloakIdp start() {
        Path home = home();
        try {
            int port = freePort();
            int management = freePort();
            Path log = Files.createTempFile("keycloak-oidc-", ".log");
            ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev", "--db=dev-mem",
                    "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + management)
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64");
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
            OidcKeycloakIdp keycloak = new OidcKeycloakIdp(builder.start(), port, log);
            keycloak.awaitReady();
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
            try {
                Process install = new ProcessBuilder("bash", "-c", "source bench/lib/keycloak.sh && keycloak_install")
                        .directory(root.toFile()).inheritIO().start();
                if (!install.waitFor(30, java.util.concurrent.TimeUnit.MINUTES) || install.exitValue() != 0) {
                    install.destroyForcibly();
                    throw new IllegalStateException("keycloak_install failed");
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return home;
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
            } catch (IOException ignored) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                process.waitFor(1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("Keycloak did not start within " + START_TIMEOUT + ": " + tail());
    }

    private String tail() {
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

    /** A realm with one confidential client (PKCE S256 required) and one user with a verified email. */
    void createRealm(String realm, String clientId, String clientSecret, String redirectUriPattern, String username,
                     String password, String email) {
        String token = adminToken();
        admin(token, "POST", "/admin/realms", Map.of("realm", realm, "enabled", true));
        admin(token, "POST", "/admin/realms/" + realm + "/clients", Map.of("clientId", clientId, "secret", clientSecret,
                "publicClient", false, "standardFlowEnabled", true, "directAccessGrantsEnabled", false,
                "redirectUris", List.of(redirectUriPattern),
                "attributes", Map.of("pkce.code.challenge.method", "S256")));
        admin(token, "POST", "/admin/realms/" + realm + "/users", Map.of("username", username, "email", email,
                "emailVerified", true, "firstName", "Ada", "lastName", "Lovelace", "enabled", true,
                "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false))));
    }

    private String adminToken() {
        JsonNode body = json(send("POST", baseUrl() + "/realms/master/protocol/openid-connect/token", null,
                "application/x-www-form-urlencoded", form(Map.of("grant_type", "password", "client_id", "admin-cli",
                        "username", ADMIN, "password", ADMIN_PASSWORD))));
        return body.path("access_token").asText();
    }

    private void admin(String token, String method, String path, Object body) {
        HttpResponse<String> response = send(method, baseUrl() + path, token, "application/json", TestGatehouse.toJson(body));
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " → " + response.statusCode() + " " + response.body());
        }
    }

    private HttpResponse<String> send(String method, String url, String token, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("content-type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
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

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return TestGatehouse.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(response.body(), e);
        }
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
