package dev.gatehouse.app;

import static dev.gatehouse.app.ScimDirectoryFixture.GROUP;
import static dev.gatehouse.app.ScimDirectoryFixture.USER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.directory.DirectoryProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every successful SCIM write of a user or group is in the audit log (D-A9): the directory as actor, the resource as
 * target, its JSON before and after, no secret; refused writes add no change record. H2, or PostgreSQL when
 * {@code GATEHOUSE_TEST_POSTGRES_URL} is set.
 */
class ScimChangeAuditTest {
    private static TestGatehouse gatehouse;
    private static String token;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
        token = gatehouse.accessToken();
    }

    @AfterAll
    static void stop() {
        gatehouse.close();
    }

    /** The directory's SCIM change records, oldest first. */
    private static List<JsonNode> changes(ScimDirectoryFixture scim) {
        TestGatehouse.Response response = gatehouse.get("/api/v1/audit/records?page_size=100&type=scim.*&actor="
                + scim.directory().id(), token);
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        List<JsonNode> records = new ArrayList<>();
        response.json().path("records").forEach(r -> records.add(0, r));
        return records;
    }

    @Test
    void userWritesWhenSuccessfulThenEachAuditedWithTheDirectoryAsActorBeforeAndAfterAndNoPassword() {
        ScimDirectoryFixture scim = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.OKTA);
        String created = scim.create("Users", """
                {"schemas":["%s"],"userName":"audit.ada@example.com","password":"hunter2-Secret!",
                 "name":{"givenName":"Ada","familyName":"Lovelace"},
                 "emails":[{"value":"audit.ada@example.com","type":"work","primary":true}],"active":true}"""
                .formatted(USER)).path("id").asText();
        TestGatehouse.Response taken = scim.send("POST", "/Users", """
                {"schemas":["%s"],"userName":"audit.ada@example.com"}""".formatted(USER));
        assertThat(taken.status()).isEqualTo(409);
        TestGatehouse.Response replaced = scim.send("PUT", "/Users/" + created, """
                {"schemas":["%s"],"userName":"audit.ada@example.com","name":{"givenName":"Augusta","familyName":"King"},
                 "emails":[{"value":"audit.ada@example.com","type":"work","primary":true}],"active":true}"""
                .formatted(USER));
        assertThat(replaced.status()).as("%s", replaced).isEqualTo(200);
        scim.patch("/Users/" + created, """
                [{"op":"replace","path":"active","value":false}]""");
        assertThat(scim.send("DELETE", "/Users/" + created, null).status()).isEqualTo(204);

        List<JsonNode> records = changes(scim);

        assertThat(records).extracting(r -> r.path("type").asText())
                .containsExactly("scim.user.created", "scim.user.replaced", "scim.user.patched", "scim.user.deleted");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.path("actor").asText()).isEqualTo(scim.directory().id());
            assertThat(r.path("target").asText()).isEqualTo(created);
            assertThat(r.path("organization_id").asText()).isEqualTo(scim.organization().id());
            assertThat(r.path("outcome").asText()).isEqualTo("SUCCESS");
            assertThat(r.toString()).doesNotContain("hunter2");
        });
        JsonNode create = records.get(0);
        assertThat(create.has("before")).isFalse();
        assertThat(create.at("/after/id").asText()).isEqualTo(created);
        assertThat(create.at("/after/name/givenName").asText()).isEqualTo("Ada");
        assertThat(create.at("/attributes/method").asText()).isEqualTo("POST");
        JsonNode replace = records.get(1);
        assertThat(replace.at("/before/name/givenName").asText()).isEqualTo("Ada");
        assertThat(replace.at("/after/name/givenName").asText()).isEqualTo("Augusta");
        JsonNode patch = records.get(2);
        assertThat(patch.at("/before/active").asBoolean()).isTrue();
        assertThat(patch.at("/after/active").asBoolean()).isFalse();
        JsonNode delete = records.get(3);
        assertThat(delete.at("/before/name/givenName").asText()).isEqualTo("Augusta");
        assertThat(delete.has("after")).isFalse();

        String stored = gatehouse.wiring.database.jdbi().withHandle(h -> h.createQuery(
                        "select * from audit_records where actor = :directory").bind("directory", scim.directory().id())
                .mapToMap().list().toString());
        assertThat(stored).contains("scim.user.created").doesNotContain("hunter2");
        JsonNode chain = gatehouse.get("/api/v1/audit/chain:verify", token).json();
        assertThat(chain.path("intact").asBoolean()).as(chain.toString()).isTrue();
    }

    @Test
    void groupWritesWhenSuccessfulThenEachAuditedWithMembersBeforeAndAfter() {
        ScimDirectoryFixture scim = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.OKTA);
        String grace = scim.createUser("audit.grace@example.com").path("id").asText();
        String alan = scim.createUser("audit.alan@example.com").path("id").asText();
        String group = scim.create("Groups", """
                {"schemas":["%s"],"displayName":"Engineers","members":[{"value":"%s"}]}""".formatted(GROUP, grace))
                .path("id").asText();
        scim.patch("/Groups/" + group, """
                [{"op":"add","path":"members","value":[{"value":"%s"}]}]""".formatted(alan));
        TestGatehouse.Response replaced = scim.send("PUT", "/Groups/" + group, """
                {"schemas":["%s"],"displayName":"Staff Engineers","members":[{"value":"%s"}]}""".formatted(GROUP, alan));
        assertThat(replaced.status()).as("%s", replaced).isEqualTo(200);
        assertThat(scim.send("PATCH", "/Groups/" + group, """
                {"schemas":["%s"],"Operations":[{"op":"add","path":"members","value":[{"value":"diruser_404"}]}]}"""
                .formatted(ScimDirectoryFixture.PATCH_OP)).status()).isEqualTo(400);
        assertThat(scim.send("DELETE", "/Groups/" + group, null).status()).isEqualTo(204);

        List<JsonNode> records = changes(scim).stream().filter(r -> r.path("type").asText().startsWith("scim.group.")).toList();

        assertThat(records).extracting(r -> r.path("type").asText())
                .containsExactly("scim.group.created", "scim.group.patched", "scim.group.replaced", "scim.group.deleted");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.path("actor").asText()).isEqualTo(scim.directory().id());
            assertThat(r.path("target").asText()).isEqualTo(group);
        });
        assertThat(members(records.get(0).path("after"))).containsExactly(grace);
        assertThat(members(records.get(1).path("before"))).containsExactly(grace);
        assertThat(members(records.get(1).path("after"))).containsExactly(grace, alan);
        assertThat(records.get(2).at("/before/displayName").asText()).isEqualTo("Engineers");
        assertThat(records.get(2).at("/after/displayName").asText()).isEqualTo("Staff Engineers");
        assertThat(members(records.get(2).path("after"))).containsExactly(alan);
        assertThat(members(records.get(3).path("before"))).containsExactly(alan);
        assertThat(records.get(3).has("after")).isFalse();
    }

    private static List<String> members(JsonNode resource) {
        List<String> ids = new ArrayList<>();
        resource.path("members").forEach(m -> ids.add(m.asText()));
        return ids;
    }
}
