package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.server.Server;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.core.testing.TestCertificates;
import dev.gatehouse.store.TestDatabases;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole server (PostgreSQL when GATEHOUSE_TEST_POSTGRES_URL is set, else H2): register a webhook
 * endpoint over REST, create an organization, receive the signed delivery on a loopback receiver, and
 * verify it with the official Scalekit Node SDK (e2e/sdk-node/verify-webhook.mjs; run `npm ci` there first).
 */
class WebhooksEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT_ID = "skc_70000000000000001";
    private static final String CLIENT_SECRET = "e2e-webhooks-secret-0123456789abcdef";

    record Delivery(Map<String, String> headers, String body) {}

    @TempDir
    Path data;
    private TestDatabases.TestDatabase database;
    private Wiring wiring;
    private Server server;
    private HttpServer receiver;
    private final LinkedBlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private String base;
    private String token;

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.getFirst()));
            deliveries.add(new Delivery(headers, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();

        database = TestDatabases.preferred();
        Map<String, String> env = new HashMap<>();
        env.put("GATEHOUSE_PORT", "0");
        env.put("GATEHOUSE_DATA_DIR", data.toString());
        env.put("GATEHOUSE_DATABASE_URL", database.jdbcUrl());
        env.put("GATEHOUSE_DATABASE_USER", database.user());
        env.put("GATEHOUSE_DATABASE_PASSWORD", database.password());
        env.put("GATEHOUSE_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]));
        env.put("GATEHOUSE_BOOTSTRAP_CLIENT_ID", CLIENT_ID);
        env.put("GATEHOUSE_BOOTSTRAP_CLIENT_SECRET", CLIENT_SECRET);
        env.put("GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE", "true");
        env.put("GATEHOUSE_WEBHOOKS_POLL_MILLIS", "20");
        wiring = Wiring.open(GatehouseConfig.fromEnvironment(env), Clock.systemUTC());
        Bootstrap.run(wiring);
        server = wiring.server();
        server.start().join();
        wiring.dispatcher.start();
        base = "http://127.0.0.1:" + server.activeLocalPort();
        HttpResponse<String> tokenResponse = http.send(HttpRequest.newBuilder(URI.create(base + "/oauth/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + CLIENT_ID
                        + "&client_secret=" + CLIENT_SECRET)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
        token = JSON.readTree(tokenResponse.body()).get("access_token").asText();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop().join();
        }
        if (wiring != null) {
            wiring.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (database != null) {
            database.close();
        }
    }

    private HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("authorization", "Bearer " + token)
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private Delivery next() throws InterruptedException {
        Delivery delivery = deliveries.poll(20, TimeUnit.SECONDS);
        assertThat(delivery).as("a delivery within 20 s").isNotNull();
        return delivery;
    }

    /** Runs e2e/sdk-node/verify-webhook.mjs; true iff the official SDK's verifyWebhookPayload returned true. */
    private boolean sdkVerifies(String secret, Map<String, String> headers, String body) throws Exception {
        Path sdk = Path.of("..", "e2e", "sdk-node").toAbsolutePath().normalize();
        assertThat(sdk.resolve("node_modules/@scalekit-sdk/node")).as("run `npm ci` in e2e/sdk-node").exists();
        Path input = Files.createTempFile(data, "delivery", ".json");
        Map<String, Object> json = Map.of("secret", secret, "headers", headers, "body", body);
        Files.writeString(input, JSON.writeValueAsString(json));
        Process process = new ProcessBuilder("node", "verify-webhook.mjs", input.toString())
                .directory(sdk.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int exit = process.exitValue();
        assertThat(exit).as(output).isIn(0, 1);
        return exit == 0;
    }

    @Test
    void createOrganizationWhenEndpointRegisteredOverRestThenDeliveryVerifiedByOfficialSdk() throws Exception {
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        JsonNode created = ok(call("POST", "/api/v1/webhooks",
                "{\"url\":\"" + hook + "\",\"description\":\"e2e\",\"event_types\":[\"organization.created\"]}"), 201);
        String endpointId = created.at("/endpoint/id").asText();
        String secret = created.get("secret").asText();
        assertThat(secret).startsWith("whsec_");
        assertThat(created.at("/endpoint/enabled").asBoolean()).isTrue();
        assertThat(ok(call("GET", "/api/v1/webhooks/" + endpointId, null), 200).toString()).doesNotContain(secret);

        JsonNode org = ok(call("POST", "/api/v1/organizations", "{\"display_name\":\"Webhook Co\"}"), 201);
        String orgId = org.at("/organization/id").asText();

        Delivery delivery = next();
        JsonNode envelope = JSON.readTree(delivery.body());
        assertThat(envelope.get("type").asText()).isEqualTo("organization.created");
        assertThat(envelope.get("organization_id").asText()).isEqualTo(orgId);
        assertThat(envelope.at("/data/display_name").asText()).isEqualTo("Webhook Co");
        assertThat(delivery.headers().get("webhook-id")).isEqualTo(envelope.get("id").asText());
        assertThat(sdkVerifies(secret, delivery.headers(), delivery.body())).isTrue();
        assertThat(sdkVerifies(secret, delivery.headers(), delivery.body().replace("Webhook Co", "Webhook Cx"))).isFalse();

        // Rotation: the new and the previous secret both verify the next delivery.
        String rotated = ok(call("POST", "/api/v1/webhooks/" + endpointId + ":rotate_secret", null), 200).get("secret").asText();
        ok(call("POST", "/api/v1/organizations", "{\"display_name\":\"Second Co\"}"), 201);
        Delivery second = next();
        assertThat(second.headers().get("webhook-signature").split(" ")).hasSize(2);
        assertThat(sdkVerifies(rotated, second.headers(), second.body())).isTrue();
        assertThat(sdkVerifies(secret, second.headers(), second.body())).isTrue();

        JsonNode attempts = ok(call("GET", "/api/v1/webhooks/" + endpointId + "/attempts", null), 200).get("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(attempts.get(0).get("response_code").asInt()).isEqualTo(204);

        ok(call("POST", "/api/v1/webhooks/" + endpointId + "/events/" + envelope.get("id").asText() + ":resend", null), 200);
        assertThat(next().body()).isEqualTo(delivery.body());
    }

    @Test
    void ssoEnabledAndScimUserCreatedWhenSubscribedThenSignedDeliveriesVerifiedByOfficialSdkAndAudited() throws Exception {
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        JsonNode created = ok(call("POST", "/api/v1/webhooks", "{\"url\":\"" + hook + "\",\"event_types\":"
                + "[\"organization.sso_enabled\",\"organization.directory.user_created\"]}"), 201);
        String endpointId = created.at("/endpoint/id").asText();
        String secret = created.get("secret").asText();
        String orgId = ok(call("POST", "/api/v1/organizations", "{\"display_name\":\"Newcomer Co\"}"), 201)
                .at("/organization/id").asText();

        // SSO: create a SAML connection, configure it by hand, enable it.
        String connections = "/api/v1/organizations/" + orgId + "/connections";
        String connectionId = ok(call("POST", connections, "{\"type\":\"SAML\",\"provider\":\"OKTA\"}"), 201)
                .at("/connection/id").asText();
        ok(call("PATCH", connections + "/" + connectionId, JSON.writeValueAsString(Map.of("saml_config", Map.of(
                "idp_entity_id", "https://idp.example.test/entity", "idp_sso_url", "https://idp.example.test/sso",
                "idp_certificate", TestCertificates.IDP_1)))), 200);
        assertThat(ok(call("PATCH", connections + "/" + connectionId + ":enable", null), 200).get("enabled").asBoolean()).isTrue();

        // SCIM: create and enable a directory, mint its bearer token, provision a user with it.
        String directories = "/api/v1/organizations/" + orgId + "/directories";
        String directoryId = ok(call("POST", directories, "{\"directory_type\":\"SCIM\",\"directory_provider\":\"OKTA\"}"), 201)
                .at("/directory/id").asText();
        ok(call("PATCH", directories + "/" + directoryId + ":enable", "{}"), 200);
        String scimToken = ok(call("POST", directories + "/" + directoryId + "/secrets", "{}"), 201).get("plain_secret").asText();
        HttpResponse<String> scimUser = http.send(HttpRequest.newBuilder(URI.create(base + "/directory/" + directoryId + "/scim/v2/Users"))
                .header("authorization", "Bearer " + scimToken)
                .header("content-type", "application/scim+json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ada@newcomer.example",
                         "externalId":"okta-00u1","name":{"givenName":"Ada","familyName":"Lovelace"},
                         "emails":[{"value":"ada@newcomer.example","type":"work","primary":true}],"active":true}"""))
                .build(), HttpResponse.BodyHandlers.ofString());
        String directoryUserId = ok(scimUser, 201).get("id").asText();

        // Both events of the organization arrive in commit order, signed, and the official SDK accepts each.
        Delivery ssoEnabled = next();
        JsonNode sso = JSON.readTree(ssoEnabled.body());
        assertThat(sso.get("type").asText()).isEqualTo("organization.sso_enabled");
        assertThat(sso.get("object").asText()).isEqualTo("Connection");
        assertThat(sso.get("organization_id").asText()).isEqualTo(orgId);
        assertThat(sso.at("/data/id").asText()).isEqualTo(connectionId);
        assertThat(sso.at("/data/enabled").asBoolean()).isTrue();
        assertThat(sso.at("/data/connection_type").asText()).isEqualTo("SAML");
        assertThat(sso.at("/data/provider").asText()).isEqualTo("OKTA");
        assertThat(sdkVerifies(secret, ssoEnabled.headers(), ssoEnabled.body())).isTrue();

        Delivery userCreated = next();
        JsonNode user = JSON.readTree(userCreated.body());
        assertThat(user.get("type").asText()).isEqualTo("organization.directory.user_created");
        assertThat(user.get("object").asText()).isEqualTo("DirectoryUser");
        assertThat(user.get("organization_id").asText()).isEqualTo(orgId);
        assertThat(user.at("/data/id").asText()).isEqualTo(directoryUserId);
        assertThat(user.at("/data/dp_id").asText()).isEqualTo("okta-00u1");
        assertThat(user.at("/data/email").asText()).isEqualTo("ada@newcomer.example");
        assertThat(user.at("/data/raw_attributes/userName").asText()).isEqualTo("ada@newcomer.example");
        assertThat(userCreated.headers().get("webhook-id")).isEqualTo(user.get("id").asText());
        assertThat(sdkVerifies(secret, userCreated.headers(), userCreated.body())).isTrue();
        assertThat(sdkVerifies(secret, userCreated.headers(), userCreated.body().replace("okta-00u1", "okta-00u2"))).isFalse();

        // The event log: the endpoint's attempts list both, succeeded; nothing else was delivered (filter).
        JsonNode attempts = ok(call("GET", "/api/v1/webhooks/" + endpointId + "/attempts", null), 200).get("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts).extracting(a -> a.get("event_type").asText())
                .containsExactlyInAnyOrder("organization.sso_enabled", "organization.directory.user_created");
        assertThat(attempts).extracting(a -> a.get("event_id").asText())
                .containsExactlyInAnyOrder(sso.get("id").asText(), user.get("id").asText());
        assertThat(attempts).allSatisfy(a -> {
            assertThat(a.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(a.get("response_code").asInt()).isEqualTo(204);
        });
        assertThat(deliveries).isEmpty();

        // The audit log: the management changes, with who and what.
        JsonNode enable = ok(call("GET", "/api/v1/audit/records?type=management.enable_connection", null), 200).get("records");
        assertThat(enable).hasSize(1);
        assertThat(enable.get(0).get("target").asText()).isEqualTo(connectionId);
        assertThat(enable.get(0).get("organization_id").asText()).isEqualTo(orgId);
        assertThat(enable.get(0).get("actor").asText()).isEqualTo(CLIENT_ID);
        assertThat(enable.get(0).get("outcome").asText()).isEqualTo("SUCCESS");
        JsonNode changes = ok(call("GET", "/api/v1/audit/records?organization_id=" + orgId + "&page_size=100", null), 200).get("records");
        assertThat(changes).extracting(r -> r.get("type").asText()).contains("management.create_connection",
                "management.update_connection", "management.enable_connection", "management.create_directory",
                "management.enable_directory", "management.create_directory_secret");
        // Successful SCIM provisioning writes leave no audit record today (only refused SCIM calls do, as
        // scim.auth.rejected): the provisioned user is recorded by its event above. The SCIM token never reaches it.
        assertThat(changes.toString()).doesNotContain(scimToken);

        // `./gatehouse audit verify`'s check: the chain is intact.
        JsonNode chain = ok(call("GET", "/api/v1/audit/chain:verify", null), 200);
        assertThat(chain.get("intact").asBoolean()).as(chain.toString()).isTrue();
        assertThat(chain.get("records").asLong()).isEqualTo(chain.get("head_sequence").asLong()).isGreaterThanOrEqualTo(changes.size());
    }

    @Test
    void webhooksApiWhenBadInputOrUnknownIdThenRpcStatus4xx() throws Exception {
        HttpResponse<String> privateUrl = call("POST", "/api/v1/webhooks", "{\"url\":\"http://10.0.0.1/x\"}");
        assertThat(privateUrl.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(privateUrl.body()).get("code").asInt()).isEqualTo(3);

        HttpResponse<String> unknownType = call("POST", "/api/v1/webhooks",
                "{\"url\":\"https://93.184.216.34/x\",\"event_types\":[\"nope\"]}");
        assertThat(unknownType.statusCode()).isEqualTo(400);

        assertThat(call("GET", "/api/v1/webhooks/whe_1", null).statusCode()).isEqualTo(404);
        assertThat(call("POST", "/api/v1/webhooks/whe_1:enable", null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/api/v1/webhooks/whe_1/attempts?page_token=zz", null).statusCode()).isEqualTo(400);

        String hook = "https://93.184.216.34/x";
        String id = ok(call("POST", "/api/v1/webhooks", "{\"url\":\"" + hook + "\"}"), 201).at("/endpoint/id").asText();
        assertThat(ok(call("POST", "/api/v1/webhooks/" + id + ":disable", null), 200).at("/endpoint/enabled").asBoolean()).isFalse();
        assertThat(ok(call("POST", "/api/v1/webhooks/" + id + ":enable", null), 200).at("/endpoint/enabled").asBoolean()).isTrue();
        assertThat(ok(call("PATCH", "/api/v1/webhooks/" + id, "{\"description\":\"changed\"}"), 200)
                .at("/endpoint/description").asText()).isEqualTo("changed");
        assertThat(ok(call("GET", "/api/v1/webhooks", null), 200).get("endpoints")).hasSize(1);
        assertThat(call("POST", "/api/v1/webhooks/" + id + "/events/evt_1:resend", null).statusCode()).isEqualTo(404);
        ok(call("DELETE", "/api/v1/webhooks/" + id, null), 200);
        assertThat(call("GET", "/api/v1/webhooks/" + id, null).statusCode()).isEqualTo(404);

        HttpResponse<String> unauthenticated = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/webhooks")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        assertThat(List.of(deliveries.size())).containsExactly(0);
    }
}
