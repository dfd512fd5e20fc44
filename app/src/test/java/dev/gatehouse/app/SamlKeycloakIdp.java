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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keycloak 26 as the customer's SAML IdP, started once per test JVM ({@link #shared()}; a shutdown hook stops it).
 * Installed by {@code bench/lib/keycloak.sh} into {@code bench/.cache} when missing (or taken from
 * {@code GATEHOUSE_TEST_KEYCLOAK_HOME}); runs {@code start-dev} with an in-memory database on free loopback ports;
 * realms, SAML clients and users are made through its admin REST API. Startup is bounded by {@link #START_TIMEOUT}.
 */
final class SamlKeycloakIdp {
    static final String VERSION = "26.7.3";
    static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "admin-" + Long.toHexString(System.nanoTime());
    private static SamlKeycloakIdp shared;

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private SamlKeycloakIdp(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The one Keycloak of this test run, started on first use. */
    static synchronized SamlKeycloakIdp shared() {
        if (shared == null) {
            shared = start();
            SamlKeycloakIdp started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
        }
        return shared;
    }

    private static SamlKeycloakIdp start() {
        Path home = home();
        try {
            int port = freePort();
            Path log = Files.createTempFile("keycloak-saml-", ".log");
            ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev", "--db=dev-mem",
                    "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + freePort())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
            SamlKeycloakIdp keycloak = new SamlKeycloakIdp(builder.start(), port, log);
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
            run(root, "source bench/lib/keycloak.sh && KEYCLOAK_VERSION=" + VERSION + " keycloak_install");
        }
        return home;
    }

    private static void run(Path directory, String script) {
        try {
            Process install = new ProcessBuilder("bash", "-c", script).directory(directory.toFile()).inheritIO().start();
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
                process.waitFor(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        stop();
        throw new IllegalStateException("Keycloak did not start within " + START_TIMEOUT + ": " + tail());
    }

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

    /** The realm's SAML IdP metadata document. */
    String descriptor(String realm) {
        return send("GET", baseUrl() + "/realms/" + realm + "/protocol/saml/descriptor", null, null, null).body();
    }

    /** Where an IdP-initiated login of the client with this URL name starts. */
    String idpInitiatedUrl(String realm, String urlName) {
        return baseUrl() + "/realms/" + realm + "/protocol/saml/clients/" + urlName;
    }

    /** What the SP (Gatehouse) asks of its Keycloak client. */
    record SamlClient(String entityId, String acsUrl, String idpInitiatedName, boolean signRequests,
                      boolean encryptAssertions, String spCertificateBase64) {}

    /** A realm with one user (password, verified email, first and last name). */
    void createRealm(String realm, String username, String password, String email) {
        String token = adminToken();
        admin(token, "POST", "/admin/realms", Map.of("realm", realm, "enabled", true));
        admin(token, "POST", "/admin/realms/" + realm + "/users", Map.of("username", username, "email", email,
                "emailVerified", true, "firstName", "Ada", "lastName", "Lovelace", "enabled", true,
                "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false))));
    }

    /**
     * A SAML client for the SP: signed Response and Assertion (RSA-SHA256, exclusive c14n), NameID = email, the
     * email / firstName / lastName attributes, optionally encrypted assertions and required request signatures.
     */
    void createSamlClient(String realm, SamlClient client) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("saml.server.signature", "true");
        attributes.put("saml.assertion.signature", "true");
        attributes.put("saml.signature.algorithm", "RSA_SHA256");
        attributes.put("saml_signature_canonicalization_method", "http://www.w3.org/2001/10/xml-exc-c14n#");
        attributes.put("saml.authnstatement", "true");
        attributes.put("saml_force_name_id_format", "true");
        attributes.put("saml_name_id_format", "email");
        attributes.put("saml_assertion_consumer_url_post", client.acsUrl());
        attributes.put("saml_idp_initiated_sso_url_name", client.idpInitiatedName());
        attributes.put("saml.client.signature", Boolean.toString(client.signRequests()));
        if (client.signRequests()) {
            attributes.put("saml.signing.certificate", client.spCertificateBase64());
        }
        attributes.put("saml.encrypt", Boolean.toString(client.encryptAssertions()));
        if (client.encryptAssertions()) {
            attributes.put("saml.encryption.certificate", client.spCertificateBase64());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("clientId", client.entityId());
        body.put("protocol", "saml");
        body.put("enabled", true);
        body.put("frontchannelLogout", false);
        body.put("redirectUris", List.of(client.acsUrl()));
        body.put("attributes", attributes);
        body.put("protocolMappers", List.of(attribute("email", "email"), attribute("firstName", "firstName"),
                attribute("lastName", "lastName")));
        admin(adminToken(), "POST", "/admin/realms/" + realm + "/clients", body);
    }

    private static Map<String, Object> attribute(String property, String name) {
        return Map.of("name", name, "protocol", "saml", "protocolMapper", "saml-user-property-mapper",
                "config", Map.of("user.attribute", property, "attribute.name", name, "attribute.nameformat", "Basic",
                        "friendly.name", name));
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

    private void admin(String token, String method, String path, Object body) {
        HttpResponse<String> response = send(method, baseUrl() + path, token, "application/json", TestGatehouse.toJson(body));
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " → " + response.statusCode() + " " + response.body());
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
