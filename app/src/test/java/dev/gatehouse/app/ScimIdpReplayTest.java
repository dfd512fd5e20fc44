package dev.gatehouse.app;

import static dev.gatehouse.app.ScimDirectoryFixture.GROUP;
import static dev.gatehouse.app.ScimDirectoryFixture.PATCH_OP;
import static dev.gatehouse.app.ScimDirectoryFixture.USER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.directory.DirectoryProvider;
import dev.gatehouse.core.directory.DirectoryUser;
import dev.gatehouse.core.shared.PageRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays the request sequences Okta and Microsoft Entra ID send, as their public SCIM documentation shows them
 * (Okta: "SCIM 2.0 protocol reference"; Entra: "Tutorial: Develop and plan provisioning for a SCIM endpoint"),
 * and asserts the state that results.
 */
class ScimIdpReplayTest {
    private static TestGatehouse gatehouse;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
    }

    @AfterAll
    static void stop() {
        gatehouse.close();
    }

    private static String filter(String filter) {
        return "filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8);
    }

    @Test
    void oktaSequenceWhenReplayedThenUsersGroupsAndMembershipsAsPushed() {
        ScimDirectoryFixture dir = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.OKTA);
        // 1. Okta looks the user up by userName before creating it.
        JsonNode lookup = dir.get("/Users?" + filter("userName eq \"dade.murphy@example.com\"") + "&startIndex=1&count=100").json();
        assertThat(lookup.path("totalResults").asInt()).isZero();
        assertThat(lookup.path("Resources")).isEmpty();
        // 2. Create.
        JsonNode dade = dir.create("Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"dade.murphy@example.com",
                 "name":{"givenName":"Dade","familyName":"Murphy"},
                 "emails":[{"primary":true,"value":"dade.murphy@example.com","type":"work"}],
                 "displayName":"Dade Murphy","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","groups":[],
                 "password":"1mz050nq","active":true}""");
        String dadeId = dade.path("id").asText();
        assertThat(dade.has("password")).isFalse();
        assertThat(dade.path("meta").path("location").asText()).isEqualTo(dir.baseUrl() + "/Users/" + dadeId);
        // 3. The lookup now finds it (case-insensitively, as userName is caseExact=false).
        JsonNode found = dir.get("/Users?" + filter("userName eq \"DADE.MURPHY@example.com\"")).json();
        assertThat(found.path("totalResults").asInt()).isEqualTo(1);
        assertThat(found.path("Resources").get(0).path("id").asText()).isEqualTo(dadeId);
        // 4. A second create of the same userName is a conflict.
        ScimDirectoryFixture.assertScimError(dir.send("POST", "/Users", """
                {"schemas":["%s"],"userName":"Dade.Murphy@example.com"}""".formatted(USER)), 409, "uniqueness");
        // 5. Profile update with PUT.
        var put = dir.send("PUT", "/Users/" + dadeId, """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"%s","userName":"dade.murphy@example.com",
                 "name":{"givenName":"Dade","familyName":"Murphy-Okta"},
                 "emails":[{"primary":true,"value":"dade.murphy@example.com","type":"work"}],"active":true}""".formatted(dadeId));
        assertThat(put.status()).as("%s", put).isEqualTo(200);
        assertThat(put.json().path("name").path("familyName").asText()).isEqualTo("Murphy-Okta");
        JsonNode kate = dir.createUser("kate.libby@example.com");
        String kateId = kate.path("id").asText();
        // 6. Push Groups: create with one member, then rename and add / remove members.
        JsonNode group = dir.create("Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Test SCIMv2",
                 "members":[{"value":"%s","display":"dade.murphy@example.com"}]}""".formatted(dadeId));
        String groupId = group.path("id").asText();
        assertThat(group.path("members")).extracting(m -> m.path("value").asText()).containsExactly(dadeId);
        dir.patch("/Groups/" + groupId, """
                [{"op":"replace","value":{"id":"%s","displayName":"Test SCIMv2 renamed"}}]""".formatted(groupId));
        dir.patch("/Groups/" + groupId, """
                [{"op":"add","path":"members","value":[{"value":"%s","display":"kate.libby@example.com"}]}]""".formatted(kateId));
        dir.patch("/Groups/" + groupId, """
                [{"op":"remove","path":"members[value eq \\"%s\\"]"}]""".formatted(dadeId));
        JsonNode pushed = dir.get("/Groups/" + groupId).json();
        assertThat(pushed.path("displayName").asText()).isEqualTo("Test SCIMv2 renamed");
        assertThat(pushed.path("members")).extracting(m -> m.path("value").asText()).containsExactly(kateId);
        assertThat(dir.get("/Users/" + kateId).json().path("groups")).extracting(g -> g.path("value").asText())
                .containsExactly(groupId);
        // The userName lookup answers with the groups too (read in the same statement, D-SP3).
        JsonNode kateByName = dir.get("/Users?" + filter("userName eq \"kate.libby@example.com\"")).json();
        assertThat(kateByName.path("Resources").get(0).path("groups")).extracting(g -> g.path("display").asText())
                .containsExactly("Test SCIMv2 renamed");
        // 7. Deactivate: Okta's PATCH replace of active; the data stays.
        dir.patch("/Users/" + dadeId, """
                [{"op":"replace","value":{"active":false}}]""");
        JsonNode deactivated = dir.get("/Users/" + dadeId).json();
        assertThat(deactivated.path("active").asBoolean()).isFalse();
        assertThat(deactivated.path("name").path("familyName").asText()).isEqualTo("Murphy-Okta");
        DirectoryUser stored = gatehouse.wiring.directoryResources.findUser(gatehouse.environmentId(), dir.directory().id(), dadeId)
                .orElseThrow();
        assertThat(stored.active()).isFalse();
        assertThat(stored.email()).contains("dade.murphy@example.com");
        // 8. Group delete.
        assertThat(dir.send("DELETE", "/Groups/" + groupId, null).status()).isEqualTo(204);
        ScimDirectoryFixture.assertScimError(dir.get("/Groups/" + groupId), 404, null);
        assertThat(dir.get("/Users/" + kateId).json().has("groups")).isFalse();
    }

    @Test
    void entraSequenceWhenReplayedThenNonStandardPatchFormsApplied() {
        ScimDirectoryFixture dir = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.MICROSOFT_AD);
        // Entra's connectivity test: a filter on a random attribute value, with ?aadOptscim062020.
        var probe = dir.get("/Users?aadOptscim062020&" + filter("userName eq \"non-existent user\""));
        assertThat(probe.status()).isEqualTo(200);
        assertThat(probe.json().path("totalResults").asInt()).isZero();
        JsonNode user = dir.create("Users?aadOptscim062020", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                 "externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef","userName":"Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
                 "active":true,"emails":[{"primary":true,"type":"work","value":"Test_User_fd0ea19b@testuser.com"}],
                 "meta":{"resourceType":"User"},"name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},
                 "roles":[],"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Eng"}}""");
        String id = user.path("id").asText();
        // Entra's lookups by externalId and by userName.
        assertThat(dir.get("/Users?" + filter("externalId eq \"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef\"")).json()
                .path("totalResults").asInt()).isEqualTo(1);
        // Capitalised ops, booleans as strings, path-less replace with path keys, value-filter paths.
        dir.patch("/Users/" + id + "?aadOptscim062020", """
                [{"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"updatedEmail@microsoft.com"},
                 {"op":"Replace","path":"name.familyName","value":"updatedFamilyName"},
                 {"op":"Add","path":"phoneNumbers[type eq \\"mobile\\"].value","value":"+1 555 0100"},
                 {"op":"Replace","value":{"displayName":"Updated Display","name.givenName":"updatedGiven",
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"Research"}}]""");
        dir.patch("/Users/" + id, """
                [{"op":"Replace","path":"active","value":"False"}]""");
        JsonNode updated = dir.get("/Users/" + id).json();
        assertThat(updated.path("active").isBoolean()).isTrue();
        assertThat(updated.path("active").asBoolean()).isFalse();
        assertThat(updated.path("emails").get(0).path("value").asText()).isEqualTo("updatedEmail@microsoft.com");
        assertThat(updated.path("name").path("familyName").asText()).isEqualTo("updatedFamilyName");
        assertThat(updated.path("name").path("givenName").asText()).isEqualTo("updatedGiven");
        assertThat(updated.path("displayName").asText()).isEqualTo("Updated Display");
        assertThat(updated.path("phoneNumbers").get(0).path("value").asText()).isEqualTo("+1 555 0100");
        assertThat(updated.path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User").path("department").asText())
                .isEqualTo("Research");
        JsonNode other1 = dir.createUser("member1@contoso.com");
        JsonNode other2 = dir.createUser("member2@contoso.com");
        JsonNode other3 = dir.createUser("member3@contoso.com");
        // Entra group: create without members, then add members, then remove by value array (only those listed).
        JsonNode group = dir.create("Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group"],
                 "externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","displayName":"displayName","meta":{"resourceType":"Group"}}"""
                .replace(",\"http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group\"", ""));
        String groupId = group.path("id").asText();
        dir.patch("/Groups/" + groupId, """
                [{"op":"Add","path":"members","value":[{"value":"%s"},{"value":"%s"},{"value":"%s"},{"value":"%s"}]}]"""
                .formatted(id, other1.path("id").asText(), other2.path("id").asText(), other3.path("id").asText()));
        dir.patch("/Groups/" + groupId, """
                [{"op":"Remove","path":"members","value":[{"value":"%s"},{"value":"%s"}]}]"""
                .formatted(other1.path("id").asText(), other2.path("id").asText()));
        // Entra asks for the group without members, then filters for membership.
        JsonNode lean = dir.get("/Groups/" + groupId + "?excludedAttributes=members").json();
        assertThat(lean.has("members")).isFalse();
        JsonNode membership = dir.get("/Groups?" + filter("id eq \"" + groupId + "\" and members[value eq \"" + id + "\"]")
                + "&excludedAttributes=members").json();
        assertThat(membership.path("totalResults").asInt()).isEqualTo(1);
        assertThat(gatehouse.wiring.directoryResources.memberIds(gatehouse.environmentId(), dir.directory().id(), groupId))
                .containsExactlyInAnyOrder(id, other3.path("id").asText());
        // Path-less replace of displayName (Entra's group rename).
        dir.patch("/Groups/" + groupId, """
                [{"op":"Replace","path":"displayName","value":"renamed"}]""");
        assertThat(dir.get("/Groups/" + groupId).json().path("displayName").asText()).isEqualTo("renamed");
        // Delete deprovisions.
        assertThat(dir.send("DELETE", "/Users/" + id, null).status()).isEqualTo(204);
        ScimDirectoryFixture.assertScimError(dir.get("/Users/" + id), 404, null);
        assertThat(gatehouse.wiring.directoryResources.memberIds(gatehouse.environmentId(), dir.directory().id(), groupId))
                .containsExactly(other3.path("id").asText());
        // The Directories API sees the result.
        var page = gatehouse.wiring.directories.listUsers(gatehouse.environmentId(), dir.organization().id(), dir.directory().id(),
                PageRequest.first(30), Optional.of(groupId), Optional.empty());
        assertThat(page.items()).extracting(DirectoryUser::userName).containsExactly("member3@contoso.com");
        assertThat(List.of(GROUP, PATCH_OP)).isNotEmpty();
    }
}
