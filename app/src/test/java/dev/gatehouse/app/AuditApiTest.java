package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.gatehouse.proto.organizations.CreateOrganization;
import dev.gatehouse.proto.organizations.CreateOrganizationRequest;
import dev.gatehouse.proto.organizations.OrganizationServiceGrpc.OrganizationServiceBlockingStub;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit log end to end: management changes audited by the interceptor (who, what, before, after,
 * secrets redacted), authentication decisions, the query APIs (gatehouse.v1.audit over REST,
 * scalekit.v1.auditlogs.ListAuthRequests), their filters and paging, environment isolation, and the
 * chain verification endpoint. Each test works in an environment of its own.
 */
class AuditApiTest {
    static TestGatehouse gatehouse;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
    }

    @AfterAll
    static void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    private static List<JsonNode> records(String path, String token) {
        TestGatehouse.Response response = gatehouse.get(path, token);
        assertThat(response.status()).as("%s: %s", path, response.body()).isEqualTo(200);
        List<JsonNode> records = new ArrayList<>();
        response.json().path(path.startsWith("/api/v1/logs") ? "authRequests" : "records").forEach(records::add);
        return records;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void managementChangesAreAuditedWithWhoWhatBeforeAndAfter() {
        var env = gatehouse.createIsolatedEnvironment();
        String token = gatehouse.accessToken(env);
        String id = gatehouse.postJson("/api/v1/organizations", token, Map.of("display_name", "Acme", "external_id", "acme-1"))
                .json().path("organization").path("id").asText();
        assertThat(gatehouse.patchJson("/api/v1/organizations/" + id, token, Map.of("display_name", "Acme Inc")).status())
                .isEqualTo(200);
        assertThat(gatehouse.get("/api/v1/organizations/" + id, token).status()).isEqualTo(200);
        assertThat(gatehouse.delete("/api/v1/organizations/" + id, token).status()).isEqualTo(200);
        assertThat(gatehouse.patchJson("/api/v1/organizations/org_404", token, Map.of("display_name", "x")).status())
                .isEqualTo(404);

        List<JsonNode> changes = records("/api/v1/audit/records?type=" + encode("management.*"), token);

        assertThat(changes).extracting(r -> r.path("type").asText()).containsExactly(
                "management.update_organization", "management.delete_organization",
                "management.update_organization", "management.create_organization");
        assertThat(changes).allSatisfy(r -> {
            assertThat(r.path("actor").asText()).isEqualTo(env.clientId());
            assertThat(r.path("environment_id").asText()).isEqualTo(env.id());
            assertThat(r.path("ip").asText()).isEqualTo("127.0.0.1");
            assertThat(r.path("id").asText()).startsWith("aud_");
            assertThat(r.path("hash").asText()).hasSize(64);
        });
        JsonNode failed = changes.get(0);
        assertThat(failed.path("outcome").asText()).isEqualTo("FAILURE");
        assertThat(failed.path("reason_code").asText()).isEqualTo("NOT_FOUND");
        assertThat(failed.path("target").asText()).isEqualTo("org_404");
        JsonNode deleted = changes.get(1);
        assertThat(deleted.path("outcome").asText()).isEqualTo("SUCCESS");
        assertThat(deleted.path("target").asText()).isEqualTo(id);
        assertThat(deleted.path("organization_id").asText()).isEqualTo(id);
        assertThat(deleted.path("before").path("organization").path("display_name").asText()).isEqualTo("Acme Inc");
        assertThat(deleted.has("after")).isFalse();
        JsonNode updated = changes.get(2);
        assertThat(updated.path("before").path("organization").path("display_name").asText()).isEqualTo("Acme");
        assertThat(updated.path("after").path("organization").path("display_name").asText()).isEqualTo("Acme Inc");
        assertThat(updated.path("attributes").path("method").asText())
                .isEqualTo("scalekit.v1.organizations.OrganizationService/UpdateOrganization");
        assertThat(updated.path("attributes").path("request").asText()).contains("Acme Inc");
        JsonNode created = changes.get(3);
        assertThat(created.has("before")).isFalse();
        assertThat(created.path("target").asText()).isEqualTo(id);
        assertThat(created.path("organization_id").asText()).isEqualTo(id);
        assertThat(created.path("after").path("organization").path("external_id").asText()).isEqualTo("acme-1");
        assertThat(records("/api/v1/audit/records?type=management.get_organization", token)).isEmpty();
    }

    @Test
    void changesOverGrpcAreAuditedToo() {
        var env = gatehouse.createIsolatedEnvironment();
        try (ClientFactory factory = ClientFactory.builder().build()) {
            OrganizationServiceBlockingStub stub = GrpcClients.builder("h2c://127.0.0.1:" + gatehouse.port())
                    .factory(factory).responseTimeoutMillis(30_000)
                    .addHeader("authorization", "Bearer " + gatehouse.accessToken(env))
                    .build(OrganizationServiceBlockingStub.class);
            String id = stub.createOrganization(CreateOrganizationRequest.newBuilder()
                    .setOrganization(CreateOrganization.newBuilder().setDisplayName("Over gRPC")).build())
                    .getOrganization().getId();

            List<JsonNode> changes = records("/api/v1/audit/records?type=management.create_organization",
                    gatehouse.accessToken(env));

            assertThat(changes).singleElement().satisfies(r -> {
                assertThat(r.path("target").asText()).isEqualTo(id);
                assertThat(r.path("actor").asText()).isEqualTo(env.clientId());
            });
        }
    }

    @Test
    void changesThroughTheExternalIdRoutesAreAuditedToo() {
        var env = gatehouse.createIsolatedEnvironment();
        String token = gatehouse.accessToken(env);
        String org = gatehouse.postJson("/api/v1/organizations", token, Map.of("display_name", "Users' org"))
                .json().path("organization").path("id").asText();
        String userId = gatehouse.postJson("/api/v1/organizations/" + org + "/users?send_invitation_email=false", token,
                        Map.of("email", "ext@example.com", "external_id", "ext-42"))
                .json().path("user").path("id").asText();
        assertThat(gatehouse.patchJson("/api/v1/users:external/ext-42", token,
                Map.of("user_profile", Map.of("first_name", "Ext"))).status()).isEqualTo(200);
        assertThat(gatehouse.delete("/api/v1/users:external/ext-42", token).status()).isEqualTo(200);
        assertThat(gatehouse.delete("/api/v1/users:external/ext-42", token).status()).isEqualTo(404);

        List<JsonNode> users = records("/api/v1/audit/records?actor=" + env.clientId(), token).stream()
                .filter(r -> r.path("type").asText().endsWith("_user")).toList();

        assertThat(users).extracting(r -> r.path("type").asText() + " " + r.path("outcome").asText()).containsExactly(
                "management.delete_user FAILURE", "management.delete_user SUCCESS", "management.update_user SUCCESS");
        assertThat(users.get(1).path("target").asText()).isEqualTo(userId);
        assertThat(users.get(1).path("before").path("user").path("email").asText()).isEqualTo("ext@example.com");
        assertThat(users.get(2).path("before").path("user").path("user_profile").path("first_name").asText()).isEmpty();
        assertThat(users.get(2).path("after").path("user").path("user_profile").path("first_name").asText()).isEqualTo("Ext");
        assertThat(users.get(2).path("attributes").path("request").asText()).contains("ext-42");
        assertThat(users.get(0).path("reason_code").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void secretsNeverReachTheAuditLog() {
        var env = gatehouse.createIsolatedEnvironment();
        String token = gatehouse.accessToken(env);
        String org = gatehouse.postJson("/api/v1/organizations", token, Map.of("display_name", "Directory owner"))
                .json().path("organization").path("id").asText();
        String directory = gatehouse.postJson("/api/v1/organizations/" + org + "/directories", token,
                Map.of("directory_type", "SCIM", "directory_provider", "OKTA")).json().path("directory").path("id").asText();
        TestGatehouse.Response created = gatehouse.postJson(
                "/api/v1/organizations/" + org + "/directories/" + directory + "/secrets", token, Map.of());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String secret = created.json().path("plain_secret").asText();
        assertThat(secret).isNotEmpty();

        JsonNode record = records("/api/v1/audit/records?type=management.create_directory_secret", token).getFirst();

        assertThat(record.path("after").path("plain_secret").asText()).isEqualTo("[REDACTED]");
        assertThat(record.path("after").path("secret").path("id").asText()).isNotEmpty();
        assertThat(record.path("target").asText()).as("the created resource").startsWith("sec_");
        assertThat(record.path("attributes").path("request").asText()).contains(directory);
        assertThat(record.path("organization_id").asText()).isEqualTo(org);
        String everything = gatehouse.wiring.database.jdbi().withHandle(h -> h.createQuery(
                        "select * from audit_records where environment_id = :env").bind("env", env.id())
                .mapToMap().list().toString());
        assertThat(everything).doesNotContain(secret).doesNotContain(token).doesNotContain(env.clientSecret());
    }

    @Test
    void listAuthRequestsServesAuthenticationDecisionsOnly() {
        var env = gatehouse.createIsolatedEnvironment();
        String token = gatehouse.accessToken(env);
        TestGatehouse.Response refused = gatehouse.postForm("/oauth/token", Map.of("grant_type", "client_credentials",
                "client_id", env.clientId(), "client_secret", "gsk_wrong"), Map.of());
        assertThat(refused.status()).isEqualTo(401);
        gatehouse.postJson("/api/v1/organizations", token, Map.of("display_name", "Not an authentication"));

        List<JsonNode> all = records("/api/v1/logs/authentication/requests", token);

        assertThat(all).extracting(r -> r.path("workflow").asText())
                .containsExactly("oauth.token.rejected", "oauth.token.issued");
        JsonNode rejected = all.getFirst();
        assertThat(rejected.path("status").asText()).isEqualTo("FAILURE");
        assertThat(rejected.path("client_id").asText()).isEqualTo(env.clientId());
        assertThat(rejected.path("environment_id").asText()).isEqualTo(env.id());
        assertThat(rejected.path("auth_request_id").asText()).startsWith("aud_");
        assertThat(rejected.path("timestamp").asText()).isNotEmpty();
        assertThat(all.get(1).path("status").asText()).isEqualTo("SUCCESS");
        assertThat(records("/api/v1/logs/authentication/requests?status=FAILURE", token))
                .extracting(r -> r.path("workflow").asText()).containsExactly("oauth.token.rejected");
        assertThat(records("/api/v1/logs/authentication/requests?status=success&status=failed", token)).hasSize(2);
        assertThat(records("/api/v1/logs/authentication/requests?client_id=skc_someone_else", token)).isEmpty();
        assertThat(records("/api/v1/logs/authentication/requests?client_id=" + env.clientId(), token)).hasSize(2);
        assertThat(gatehouse.get("/api/v1/logs/authentication/requests?status=MAYBE", token).status()).isEqualTo(400);
        assertThat(gatehouse.get("/api/v1/logs/authentication/requests", null).status()).isEqualTo(401);
    }

    @Test
    void scimRefusalsAreAuditedInTheDirectorysEnvironment() {
        var env = gatehouse.createIsolatedEnvironment();
        String token = gatehouse.accessToken(env);
        String org = gatehouse.postJson("/api/v1/organizations", token, Map.of("display_name", "SCIM owner"))
                .json().path("organization").path("id").asText();
        String directory = gatehouse.postJson("/api/v1/organizations/" + org + "/directories", token,
                Map.of("directory_type", "SCIM", "directory_provider", "OKTA")).json().path("directory").path("id").asText();
        String users = "/directory/" + directory + "/scim/v2/Users";
        assertThat(gatehouse.get(users, "gds_not_the_token").status()).isEqualTo(401);
        assertThat(gatehouse.get(users, null).status()).isEqualTo(401);

        List<JsonNode> refusals = records("/api/v1/audit/records?type=scim.auth.rejected", token);

        assertThat(refusals).extracting(r -> r.path("reason_code").asText()).containsExactly("missing_token", "invalid_token");
        assertThat(refusals).allSatisfy(r -> {
            assertThat(r.path("organization_id").asText()).isEqualTo(org);
            assertThat(r.path("target").asText()).isEqualTo(directory);
            assertThat(r.path("outcome").asText()).isEqualTo("FAILURE");
        });
        assertThat(records("/api/v1/logs/authentication/requests?status=FAILURE", token))
                .extracting(r -> r.path("workflow").asText()).containsExactly("scim.auth.rejected", "scim.auth.rejected");
        String stored = gatehouse.wiring.database.jdbi().withHandle(h -> h.createQuery(
                        "select * from audit_records where environment_id = :env").bind("env", env.id())
                .mapToMap().list().toString());
        assertThat(stored).doesNotContain("gds_not_the_token");
    }

    @Test
    void filtersAndKeysetPaging() {
        var env = gatehouse.createIsolatedEnvironment();
        String token = gatehouse.accessToken(env);
        Instant before = Instant.now().minusSeconds(1);
        List<String> organizations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            organizations.add(gatehouse.postJson("/api/v1/organizations", token, Map.of("display_name", "Org " + i))
                    .json().path("organization").path("id").asText());
        }
        String type = "&type=management.create_organization";

        TestGatehouse.Response first = gatehouse.get("/api/v1/audit/records?page_size=2" + type, token);
        assertThat(first.json().path("total_size").asInt()).isEqualTo(3);
        assertThat(first.json().path("prev_page_token").asText()).isEmpty();
        List<String> firstTargets = new ArrayList<>();
        first.json().path("records").forEach(r -> firstTargets.add(r.path("target").asText()));
        assertThat(firstTargets).containsExactly(organizations.get(2), organizations.get(1));
        String next = first.json().path("next_page_token").asText();
        TestGatehouse.Response second = gatehouse.get("/api/v1/audit/records?page_size=2" + type + "&page_token=" + next, token);
        assertThat(second.json().path("records")).singleElement()
                .satisfies(r -> assertThat(r.path("target").asText()).isEqualTo(organizations.get(0)));
        assertThat(second.json().path("next_page_token").asText()).isEmpty();
        String previous = second.json().path("prev_page_token").asText();
        assertThat(gatehouse.get("/api/v1/audit/records?page_size=2" + type + "&page_token=" + previous, token)
                .json().path("records").get(0).path("target").asText()).isEqualTo(organizations.get(2));

        assertThat(records("/api/v1/audit/records?organization_id=" + organizations.get(1), token))
                .singleElement().satisfies(r -> assertThat(r.path("organization_id").asText()).isEqualTo(organizations.get(1)));
        assertThat(records("/api/v1/audit/records?actor=" + env.clientId() + type, token)).hasSize(3);
        assertThat(records("/api/v1/audit/records?actor=skc_1" + type, token)).isEmpty();
        assertThat(records("/api/v1/audit/records?outcome=FAILURE" + type, token)).isEmpty();
        assertThat(records("/api/v1/audit/records?start_time=" + encode(before.toString()) + type, token)).hasSize(3);
        assertThat(records("/api/v1/audit/records?end_time=" + encode(before.toString()) + type, token)).isEmpty();
        assertThat(gatehouse.get("/api/v1/audit/records?start_time=" + encode(before.toString())
                + "&end_time=" + encode(before.minusSeconds(5).toString()), token).status()).isEqualTo(400);
        assertThat(gatehouse.get("/api/v1/audit/records?page_token=bm9wZQ", token).status()).isEqualTo(400);
        assertThat(gatehouse.get("/api/v1/audit/records", null).status()).isEqualTo(401);
    }

    @Test
    void anEnvironmentSeesOnlyItsOwnRecords() {
        var a = gatehouse.createIsolatedEnvironment();
        var b = gatehouse.createIsolatedEnvironment();
        String tokenA = gatehouse.accessToken(a);
        String tokenB = gatehouse.accessToken(b);
        String orgOfA = gatehouse.postJson("/api/v1/organizations", tokenA, Map.of("display_name", "A's"))
                .json().path("organization").path("id").asText();

        assertThat(records("/api/v1/audit/records?organization_id=" + orgOfA, tokenB)).isEmpty();
        assertThat(records("/api/v1/audit/records", tokenB))
                .allSatisfy(r -> assertThat(r.path("environment_id").asText()).isEqualTo(b.id()))
                .noneSatisfy(r -> assertThat(r.path("actor").asText()).isEqualTo(a.clientId()));
        assertThat(records("/api/v1/logs/authentication/requests?client_id=" + a.clientId(), tokenB)).isEmpty();
        assertThat(records("/api/v1/audit/records?organization_id=" + orgOfA, tokenA)).hasSize(1);
    }

    @Test
    void chainVerificationEndpointReportsTheFirstEditedRecord() {
        var env = gatehouse.createIsolatedEnvironment();
        String token = gatehouse.accessToken(env);
        gatehouse.postJson("/api/v1/organizations", token, Map.of("display_name", "One"));
        gatehouse.postJson("/api/v1/organizations", token, Map.of("display_name", "Two"));

        JsonNode intact = gatehouse.get("/api/v1/audit/chain:verify", token).json();
        assertThat(intact.path("intact").asBoolean()).as(intact.toString()).isTrue();
        assertThat(intact.path("records").asLong()).isEqualTo(intact.path("head_sequence").asLong()).isGreaterThanOrEqualTo(3);

        gatehouse.wiring.database.jdbi().useHandle(h -> h.createUpdate(
                        "update audit_records set actor = 'someone' where environment_id = :env and chain_seq = 2")
                .bind("env", env.id()).execute());

        JsonNode broken = gatehouse.get("/api/v1/audit/chain:verify", token).json();
        assertThat(broken.path("intact").asBoolean()).isFalse();
        assertThat(broken.path("broken_at_sequence").asLong()).isEqualTo(2);
        assertThat(broken.path("break_kind").asText()).isEqualTo("EDITED");
        assertThat(broken.path("broken_record_id").asText()).startsWith("aud_");
    }

    @Test
    void successfulTokenIssuanceIsNotAuditedWhenSwitchedOff() {
        try (TestGatehouse quiet = TestGatehouse.start(Map.of("GATEHOUSE_AUDIT_SUCCESS", "false"))) {
            long mark = quiet.auditMark();
            String token = quiet.accessToken();
            quiet.postForm("/oauth/token", Map.of("grant_type", "client_credentials", "client_id", quiet.clientId(),
                    "client_secret", "gsk_wrong"), Map.of());
            quiet.postJson("/api/v1/organizations", token, Map.of("display_name", "Still audited"));

            assertThat(quiet.auditSince(mark, "oauth.token.issued")).isEmpty();
            assertThat(quiet.auditSince(mark, "oauth.token.rejected")).hasSize(1);
            assertThat(quiet.auditSince(mark, "management.create_organization")).hasSize(1);
        }
        long mark = gatehouse.auditMark();
        gatehouse.accessToken();
        assertThat(gatehouse.auditSince(mark, "oauth.token.issued")).singleElement()
                .satisfies(row -> assertThat(row.outcome()).isEqualTo("SUCCESS"));
    }

    @Test
    void tokenRateLimitHitsAreInTheEnvironmentServedAtTheAddress() {
        // A server of its own: once this address is throttled, no token request from it succeeds for a minute.
        try (TestGatehouse limited = TestGatehouse.start()) {
            String token = limited.accessToken();
            TestGatehouse.Response answer;
            int failures = 0;
            do {
                answer = limited.postForm("/oauth/token", Map.of("grant_type", "client_credentials",
                        "client_id", limited.clientId(), "client_secret", "gsk_wrong"), Map.of());
                failures++;
            } while (answer.status() == 401 && failures < 100);
            assertThat(answer.status()).as("after %d failures: %s", failures, answer.body()).isEqualTo(429);

            TestGatehouse.Response listed = limited.get("/api/v1/audit/records?type=oauth.token.rate_limited", token);
            assertThat(listed.status()).as(listed.body()).isEqualTo(200);
            assertThat(listed.json().path("records")).singleElement().satisfies(r -> {
                assertThat(r.path("environment_id").asText()).isEqualTo(limited.environmentId());
                assertThat(r.path("outcome").asText()).isEqualTo("FAILURE");
                assertThat(r.path("reason_code").asText()).isEqualTo("rate_limited");
                assertThat(r.path("attributes").path("error").asText()).isEqualTo("temporarily_unavailable");
                assertThat(r.path("ip").asText()).isEqualTo("127.0.0.1");
            });
        }
    }
}
