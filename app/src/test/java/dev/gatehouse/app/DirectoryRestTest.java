package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.organization.Organization;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Directories API over REST (transcoded gRPC), from creation to a SCIM-provisioned user in the listings. */
class DirectoryRestTest {
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

    @Test
    void createWhenProviderNamedAzureAdOrNoneThenMicrosoftAdOrGeneric() {
        Organization org = gatehouse.seedOrganization(gatehouse.environmentId(), "Directory providers", null);
        String base = "/api/v1/organizations/" + org.id() + "/directories";
        var azure = gatehouse.postJson(base, token, Map.of("directory_type", "SCIM", "directory_provider", "AZURE_AD"));
        assertThat(azure.status()).as("%s", azure).isEqualTo(201);
        assertThat(azure.json().path("directory").path("directory_provider").asText()).isEqualTo("MICROSOFT_AD");
        var generic = gatehouse.postJson(base, token, Map.of("directory_type", "SCIM"));
        assertThat(generic.json().path("directory").path("directory_provider").asText())
                .isEqualTo("DIRECTORY_PROVIDER_UNSPECIFIED");
        for (String provider : new String[] {"ONELOGIN", "JUMPCLOUD", "GOOGLE", "OKTA"}) {
            assertThat(gatehouse.postJson(base, token, Map.of("directory_type", "SCIM", "directory_provider", provider))
                    .json().path("directory").path("directory_provider").asText()).isEqualTo(provider);
        }
        assertThat(gatehouse.postJson(base, token, Map.of("directory_provider", "OKTA")).status()).isEqualTo(400);
        assertThat(gatehouse.get(base, token).json().path("directories")).hasSize(6);
    }

    @Test
    void directoryWhenCreatedEnabledAndProvisionedThenApiShowsEndpointTokenUsersGroupsAndRoles() {
        Organization org = gatehouse.seedOrganization(gatehouse.environmentId(), "Directory REST", null);
        String base = "/api/v1/organizations/" + org.id() + "/directories";
        var created = gatehouse.postJson(base, token, Map.of("directory_type", "SCIM", "directory_provider", "OKTA"));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        JsonNode directory = created.json().path("directory");
        String id = directory.path("id").asText();
        assertThat(id).startsWith("dir_");
        assertThat(directory.path("directory_provider").asText()).isEqualTo("OKTA");
        assertThat(directory.path("enabled").asBoolean()).isFalse();
        assertThat(directory.path("directory_endpoint").asText())
                .isEqualTo(gatehouse.baseUrl() + "/directory/" + id + "/scim/v2");

        assertThat(gatehouse.get(base + "/" + id, token).json().path("directory").path("id").asText()).isEqualTo(id);
        assertThat(gatehouse.get(base, token).json().path("directories")).hasSize(1);
        assertThat(gatehouse.get("/api/v1/organizations/org_404/directories/" + id, token).status()).isEqualTo(404);

        var enabled = gatehouse.send("PATCH", base + "/" + id + ":enable", token, "application/json", "{}");
        assertThat(enabled.status()).as("%s", enabled).isEqualTo(200);
        assertThat(enabled.json().path("enabled").asBoolean()).isTrue();
        var again = gatehouse.send("PATCH", base + "/" + id + ":enable", token, "application/json", "{}");
        assertThat(again.json().path("error_message").asText()).isEqualTo("The directory is already enabled");

        var secret = gatehouse.postJson(base + "/" + id + "/secrets", token, Map.of());
        assertThat(secret.status()).as("%s", secret).isEqualTo(201);
        String plain = secret.json().path("plain_secret").asText();
        assertThat(plain).startsWith("gds_");
        assertThat(secret.json().path("secret").path("secret_suffix").asText()).isEqualTo(plain.substring(plain.length() - 4));
        assertThat(gatehouse.get(base + "/" + id, token).body()).doesNotContain(plain);

        // The IdP provisions a user and a group with the token.
        var user = gatehouse.send("POST", "/directory/" + id + "/scim/v2/Users", plain, "application/scim+json", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"eve@acme.test",
                 "name":{"givenName":"Eve","familyName":"Adams"},"emails":[{"value":"eve@acme.test","primary":true}]}""");
        assertThat(user.status()).as("%s", user).isEqualTo(201);
        String userId = user.json().path("id").asText();
        var group = gatehouse.send("POST", "/directory/" + id + "/scim/v2/Groups", plain, "application/scim+json", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Admins",
                 "members":[{"value":"%s"}]}""".formatted(userId));
        String groupId = group.json().path("id").asText();

        JsonNode users = gatehouse.get(base + "/" + id + "/users?include_detail=true&directory_group_id=" + groupId, token).json();
        assertThat(users.path("total_size").asInt()).isEqualTo(1);
        JsonNode eve = users.path("users").get(0);
        assertThat(eve.path("id").asText()).isEqualTo(userId);
        assertThat(eve.path("email").asText()).isEqualTo("eve@acme.test");
        assertThat(eve.path("given_name").asText()).isEqualTo("Eve");
        assertThat(eve.path("groups").get(0).path("display_name").asText()).isEqualTo("Admins");
        assertThat(eve.path("user_detail").path("userName").asText()).isEqualTo("eve@acme.test");
        assertThat(gatehouse.get(base + "/" + id + "/users?updated_after=2999-01-01T00:00:00Z", token).json()
                .path("users")).isEmpty();
        assertThat(gatehouse.get(base + "/" + id + "/users?page_size=31", token).status()).isEqualTo(400);
        assertThat(gatehouse.get(base + "/" + id + "/users?page_size=4294967295", token).status()).isEqualTo(400);
        assertThat(gatehouse.get(base + "/" + id + "/groups?page_token=garbage!", token).status()).isEqualTo(400);
        assertThat(gatehouse.get(base + "/" + id + "/users?directory_group_id=dirgroup_404", token).json()
                .path("users")).isEmpty();
        assertThat(gatehouse.get(base + "/dir_404/users", token).status()).isEqualTo(404);
        JsonNode groups = gatehouse.get(base + "/" + id + "/groups", token).json();
        assertThat(groups.path("groups").get(0).path("total_users").asInt()).isEqualTo(1);

        var roles = gatehouse.send("PUT", base + "/" + id + "/groups/-/roles:assign", token, "application/json", """
                {"assignments":[{"group_id":"%s","role_name":"admin"}]}""".formatted(groupId));
        assertThat(roles.status()).as("%s", roles).isEqualTo(200);
        assertThat(gatehouse.get(base + "/" + id, token).json().path("directory").path("role_assignments")
                .path("assignments").get(0).path("role_name").asText()).isEqualTo("admin");

        // Rotation: the new token works, the previous one too (grace period), a third rotation retires the first.
        String second = gatehouse.postJson(base + "/" + id + "/secrets:regenerate", token, Map.of()).json().path("plain_secret").asText();
        assertThat(gatehouse.send("GET", "/directory/" + id + "/scim/v2/Users", second, null, null).status()).isEqualTo(200);
        assertThat(gatehouse.send("GET", "/directory/" + id + "/scim/v2/Users", plain, null, null).status()).isEqualTo(200);
        gatehouse.postJson(base + "/" + id + "/secrets:regenerate", token, Map.of());
        assertThat(gatehouse.send("GET", "/directory/" + id + "/scim/v2/Users", plain, null, null).status()).isEqualTo(401);

        var disabled = gatehouse.send("PATCH", base + "/" + id + ":disable", token, "application/json", "{}");
        assertThat(disabled.json().path("enabled").asBoolean()).isFalse();
        assertThat(gatehouse.send("GET", "/directory/" + id + "/scim/v2/Users", second, null, null).status()).isEqualTo(403);
    }
}
