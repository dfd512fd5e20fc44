package dev.gatehouse.app;

import static dev.gatehouse.app.ScimDirectoryFixture.GROUP;
import static dev.gatehouse.app.ScimDirectoryFixture.USER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.core.directory.DirectoryProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SCIM writes put the directory events of spec §6.2 in the outbox (the events table), in the write's transaction, with
 * the seed's payload shape: {@code object} DirectoryUser/DirectoryGroup, {@code dp_id}, {@code roles[{role_name}]},
 * {@code groups[{id,name}]}, {@code raw_attributes}; on H2 or PostgreSQL.
 */
class ScimDirectoryEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
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

    record StoredEvent(String object, String type, String organizationId, JsonNode data) {}

    /** The outbox rows of one organization, in commit order. */
    private static List<StoredEvent> events(String organizationId) {
        List<StoredEvent> events = new ArrayList<>();
        gatehouse.wiring.database.jdbi().useHandle(h -> h.createQuery(
                        "select object, type, organization_id, data from events where organization_id = :org order by seq")
                .bind("org", organizationId)
                .map((rs, ctx) -> {
                    try {
                        return new StoredEvent(rs.getString("object"), rs.getString("type"), rs.getString("organization_id"),
                                JSON.readTree(rs.getString("data")));
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                }).forEach(events::add));
        return events;
    }

    private static StoredEvent last(String organizationId, String type) {
        List<StoredEvent> ofType = events(organizationId).stream().filter(e -> e.type().equals(type)).toList();
        assertThat(ofType).as("a %s event", type).isNotEmpty();
        return ofType.getLast();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void scimUserAndGroupWritesWhenCommittedThenDirectoryEventsInOutboxWithSeedPayloadShape() {
        ScimDirectoryFixture dir = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.OKTA);
        String org = dir.organization().id();
        String directoryId = dir.directory().id();

        JsonNode enabled = last(org, "organization.directory_enabled").data();
        assertThat(enabled.path("id").asText()).isEqualTo(directoryId);
        assertThat(enabled.path("directory_type").asText()).isEqualTo("SCIM");
        assertThat(enabled.path("enabled").asBoolean()).isTrue();
        assertThat(enabled.path("provider").asText()).isEqualTo("OKTA");
        assertThat(enabled.path("organization_id").asText()).isEqualTo(org);
        assertThat(enabled.path("updated_at").asText()).isNotEmpty();
        assertThat(last(org, "organization.directory_enabled").object()).isEqualTo("Directory");

        // A group, mapped to a role.
        String groupId = dir.create("Groups", """
                {"schemas":["%s"],"displayName":"Engineering","externalId":"okta-grp-1"}""".formatted(GROUP)).path("id").asText();
        StoredEvent groupCreated = last(org, "organization.directory.group_created");
        assertThat(groupCreated.object()).isEqualTo("DirectoryGroup");
        assertThat(groupCreated.organizationId()).isEqualTo(org);
        JsonNode group = groupCreated.data();
        assertThat(fieldNames(group)).contains("directory_id", "display_name", "external_id", "id", "organization_id",
                "raw_attributes");
        assertThat(group.path("id").asText()).isEqualTo(groupId).startsWith("dirgroup_");
        assertThat(group.path("directory_id").asText()).isEqualTo(directoryId);
        assertThat(group.path("display_name").asText()).isEqualTo("Engineering");
        assertThat(group.path("external_id").asText()).isEqualTo("okta-grp-1");
        assertThat(group.path("raw_attributes").path("displayName").asText()).isEqualTo("Engineering");
        assertThat(group.path("raw_attributes").path("externalId").asText()).isEqualTo("okta-grp-1");
        TestGatehouse.Response assigned = gatehouse.send("PUT", "/api/v1/organizations/" + org + "/directories/" + directoryId
                + "/groups/-/roles:assign", token, "application/json",
                "{\"assignments\":[{\"role_name\":\"member\"},{\"group_id\":\"" + groupId + "\",\"role_name\":\"admin\"}]}");
        assertThat(assigned.status()).as("%s", assigned).isEqualTo(200);

        // A user with every attribute the payload names.
        JsonNode created = dir.create("Users", """
                {"schemas":["%s"],"userName":"grace@events.example","externalId":"okta-00u7",
                 "name":{"givenName":"Grace","familyName":"Hopper"},"displayName":"Grace Hopper","nickName":"Amazing Grace",
                 "emails":[{"value":"other@events.example","type":"home"},
                           {"value":"grace@events.example","type":"work","primary":true}],
                 "phoneNumbers":[{"value":"+15555550100","type":"work"}],
                 "photos":[{"value":"https://photos.example/grace.png","type":"photo"}],
                 "addresses":[{"type":"work","formatted":"1 Navy Way, Arlington, VA 22201","region":"VA","postalCode":"22201"}],
                 "title":"Rear Admiral","active":true}""".formatted(USER));
        String userId = created.path("id").asText();
        StoredEvent userCreated = last(org, "organization.directory.user_created");
        assertThat(userCreated.object()).isEqualTo("DirectoryUser");
        assertThat(userCreated.organizationId()).isEqualTo(org);
        JsonNode user = userCreated.data();
        assertThat(fieldNames(user)).contains("id", "organization_id", "dp_id", "preferred_username", "email", "active",
                "name", "given_name", "family_name", "nickname", "picture", "phone_number", "address", "roles", "groups",
                "custom_attributes", "raw_attributes");
        assertThat(user.path("id").asText()).isEqualTo(userId).startsWith("diruser_");
        assertThat(user.path("organization_id").asText()).isEqualTo(org);
        assertThat(user.path("directory_id").asText()).isEqualTo(directoryId);
        assertThat(user.path("dp_id").asText()).isEqualTo("okta-00u7");
        assertThat(user.path("preferred_username").asText()).isEqualTo("grace@events.example");
        assertThat(user.path("email").asText()).as("the primary email").isEqualTo("grace@events.example");
        assertThat(user.path("active").asBoolean()).isTrue();
        assertThat(user.path("name").asText()).isEqualTo("Grace Hopper");
        assertThat(user.path("given_name").asText()).isEqualTo("Grace");
        assertThat(user.path("family_name").asText()).isEqualTo("Hopper");
        assertThat(user.path("nickname").asText()).isEqualTo("Amazing Grace");
        assertThat(user.path("picture").asText()).isEqualTo("https://photos.example/grace.png");
        assertThat(user.path("phone_number").asText()).isEqualTo("+15555550100");
        assertThat(user.path("address")).isEqualTo(JSON.valueToTree(Map.of(
                "postal_code", "22201", "state", "VA", "formatted", "1 Navy Way, Arlington, VA 22201")));
        assertThat(user.path("groups")).as("a new user is in no group").isEmpty();
        assertThat(user.path("roles")).isEqualTo(JSON.valueToTree(List.of(Map.of("role_name", "member"))));
        assertThat(user.path("custom_attributes").isObject()).isTrue();
        assertThat(user.path("raw_attributes").path("title").asText()).isEqualTo("Rear Admiral");
        assertThat(user.path("raw_attributes").path("externalId").asText()).isEqualTo("okta-00u7");
        assertThat(user.path("raw_attributes").has("id")).as("the resource as the IdP sent it").isFalse();

        // Into the group (group_updated), then a user change: user_updated carries the group and its role.
        dir.patch("/Groups/" + groupId, "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + userId + "\"}]}]");
        StoredEvent groupUpdated = last(org, "organization.directory.group_updated");
        assertThat(groupUpdated.object()).isEqualTo("DirectoryGroup");
        assertThat(groupUpdated.data().path("id").asText()).isEqualTo(groupId);
        dir.patch("/Users/" + userId, "[{\"op\":\"replace\",\"path\":\"title\",\"value\":\"Commodore\"}]");
        JsonNode updated = last(org, "organization.directory.user_updated").data();
        assertThat(updated.path("groups")).isEqualTo(JSON.valueToTree(List.of(Map.of("id", groupId, "name", "Engineering"))));
        assertThat(updated.path("roles")).isEqualTo(JSON.valueToTree(List.of(Map.of("role_name", "admin"))));
        assertThat(updated.path("raw_attributes").path("title").asText()).isEqualTo("Commodore");
        assertThat(updated.path("dp_id").asText()).isEqualTo("okta-00u7");

        // Deletions: the short payloads.
        assertThat(dir.send("DELETE", "/Users/" + userId, null).status()).isEqualTo(204);
        StoredEvent userDeleted = last(org, "organization.directory.user_deleted");
        assertThat(userDeleted.object()).isEqualTo("DirectoryUser");
        assertThat(userDeleted.data()).isEqualTo(JSON.valueToTree(Map.of("id", userId, "organization_id", org,
                "dp_id", "okta-00u7", "email", "grace@events.example", "directory_id", directoryId)));
        assertThat(dir.send("DELETE", "/Groups/" + groupId, null).status()).isEqualTo(204);
        StoredEvent groupDeleted = last(org, "organization.directory.group_deleted");
        assertThat(groupDeleted.object()).isEqualTo("DirectoryGroup");
        assertThat(fieldNames(groupDeleted.data())).contains("directory_id", "display_name", "dp_id", "id", "organization_id",
                "raw_attributes");
        assertThat(groupDeleted.data().path("dp_id").asText()).isEqualTo("okta-grp-1");
        assertThat(groupDeleted.data().path("display_name").asText()).isEqualTo("Engineering");

        assertThat(events(org).stream().filter(e -> e.type().startsWith("organization.directory")).map(StoredEvent::type))
                .containsExactly("organization.directory_enabled", "organization.directory.group_created",
                        "organization.directory.user_created", "organization.directory.group_updated",
                        "organization.directory.user_updated", "organization.directory.user_deleted",
                        "organization.directory.group_deleted");
    }

    @Test
    void scimWriteWhenRefusedThenNoDirectoryEvent() {
        ScimDirectoryFixture dir = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.GENERIC);
        String org = dir.organization().id();
        dir.createUser("taken@events.example");
        int before = events(org).size();
        TestGatehouse.Response duplicate = dir.send("POST", "/Users", """
                {"schemas":["%s"],"userName":"taken@events.example"}""".formatted(USER));
        ScimDirectoryFixture.assertScimError(duplicate, 409, "uniqueness");
        assertThat(events(org)).hasSize(before);
    }
}
