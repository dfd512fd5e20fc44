package dev.gatehouse.app;

import static dev.gatehouse.app.ScimDirectoryFixture.USER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.directory.DirectoryProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Directory sync seen from the Users API (docs/DECISIONS.md D-L1…D-L6): what SCIM clients provision appears as
 * environment users with memberships and roles in the directory's organization, over REST, on H2 or PostgreSQL.
 */
class ScimUserSyncTest {
    private static final AtomicInteger UNIQUE = new AtomicInteger();
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

    private static String email(String name) {
        return name + "." + UNIQUE.incrementAndGet() + "@sync.example";
    }

    private static JsonNode scimUser(ScimDirectoryFixture dir, String userName, String given, String family) {
        return dir.create("Users", """
                {"schemas":["%s"],"userName":"%s","name":{"givenName":"%s","familyName":"%s"},
                 "emails":[{"value":"%s","type":"work","primary":true}],"active":true}"""
                .formatted(USER, userName, given, family, userName));
    }

    /** The organization's users over REST, by email. */
    private static List<JsonNode> organizationUsers(String organizationId) {
        TestGatehouse.Response response = gatehouse.get("/api/v1/organizations/" + organizationId + "/users?page_size=100", token);
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        List<JsonNode> users = new ArrayList<>();
        response.json().path("users").forEach(users::add);
        return users;
    }

    private static JsonNode userByEmail(String organizationId, String email) {
        return organizationUsers(organizationId).stream().filter(u -> u.path("email").asText().equalsIgnoreCase(email))
                .findFirst().orElseThrow(() -> new AssertionError(email + " is not a user of " + organizationId));
    }

    private static Optional<JsonNode> membership(JsonNode user, String organizationId) {
        for (JsonNode membership : user.path("memberships")) {
            if (membership.path("organization_id").asText().equals(organizationId)) {
                return Optional.of(membership);
            }
        }
        return Optional.empty();
    }

    private static List<String> roles(JsonNode user, String organizationId) {
        List<String> names = new ArrayList<>();
        membership(user, organizationId).orElseThrow().path("roles").forEach(r -> names.add(r.path("name").asText()));
        return names;
    }

    private static TestGatehouse.Response getUser(String userId) {
        return gatehouse.get("/api/v1/users/" + userId, token);
    }

    private static void assignRoles(ScimDirectoryFixture dir, String assignmentsJson) {
        TestGatehouse.Response response = gatehouse.send("PUT", "/api/v1/organizations/" + dir.organization().id()
                + "/directories/" + dir.directory().id() + "/groups/-/roles:assign", token, "application/json",
                "{\"assignments\":" + assignmentsJson + "}");
        assertThat(response.status()).as("%s", response).isEqualTo(200);
    }

    @Test
    void provisionWhenUsersAndGroupsPushedThenUsersApiShowsMembershipsWithRolesOfTheirGroups() {
        ScimDirectoryFixture dir = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.OKTA);
        String org = dir.organization().id();
        String adaEmail = email("ada");
        String bobEmail = email("bob");
        String adaScimId = scimUser(dir, adaEmail, "Ada", "Lovelace").path("id").asText();
        String bobScimId = scimUser(dir, bobEmail, "Bob", "Kahn").path("id").asText();

        JsonNode ada = userByEmail(org, adaEmail);
        assertThat(ada.path("id").asText()).startsWith("usr_");
        assertThat(ada.at("/user_profile/given_name").asText()).isEqualTo("Ada");
        assertThat(ada.at("/user_profile/family_name").asText()).isEqualTo("Lovelace");
        assertThat(ada.at("/user_profile/name").asText()).isEqualTo("Ada Lovelace");
        assertThat(ada.at("/user_profile/email_verified").asBoolean()).isTrue();
        assertThat(membership(ada, org).orElseThrow().path("membership_status").asText()).isEqualTo("ACTIVE");
        assertThat(roles(ada, org)).as("no mapping yet: the environment's default role").containsExactly("member");
        assertThat(organizationUsers(org)).hasSize(2);

        // Okta pushes a group, then the admin maps it to a role: roles follow at once.
        String admins = dir.create("Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Admins",
                 "members":[{"value":"%s"}]}""".formatted(adaScimId)).path("id").asText();
        assignRoles(dir, "[{\"role_name\":\"member\"},{\"group_id\":\"" + admins + "\",\"role_name\":\"admin\"}]");
        assertThat(roles(userByEmail(org, adaEmail), org)).containsExactly("admin");
        assertThat(roles(userByEmail(org, bobEmail), org)).containsExactly("member");

        // Membership changes in the group move the roles.
        dir.patch("/Groups/" + admins, """
                [{"op":"add","path":"members","value":[{"value":"%s"}]},
                 {"op":"remove","path":"members[value eq \\"%s\\"]"}]""".formatted(bobScimId, adaScimId));
        assertThat(roles(userByEmail(org, adaEmail), org)).containsExactly("member");
        assertThat(roles(userByEmail(org, bobEmail), org)).containsExactly("admin");

        // Deleting the group takes its role away.
        assertThat(dir.send("DELETE", "/Groups/" + admins, null).status()).isEqualTo(204);
        assertThat(roles(userByEmail(org, bobEmail), org)).containsExactly("member");

        // The link is visible in the Directories API's detail too: the directory user and the user share the email.
        assertThat(gatehouse.wiring.directoryResources.findUser(gatehouse.environmentId(), dir.directory().id(), adaScimId)
                .orElseThrow().linkedUserId()).contains(ada.path("id").asText());
    }

    @Test
    void provisionWhenEmailOfExistingUserThenLinkedNotDuplicatedAndProfileFlows() {
        ScimDirectoryFixture dir = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.MICROSOFT_AD);
        String other = gatehouse.seedOrganization(gatehouse.environmentId(), "Elsewhere", null).id();
        String address = email("grace");
        TestGatehouse.Response created = gatehouse.postJson("/api/v1/organizations/" + other + "/users?send_invitation_email=false",
                token, "{\"email\":\"" + address + "\",\"user_profile\":{\"given_name\":\"G\"}}");
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        String userId = created.json().at("/user/id").asText();

        String scimId = scimUser(dir, address.toUpperCase(java.util.Locale.ROOT), "Grace", "Hopper").path("id").asText();

        JsonNode user = getUser(userId).json().path("user");
        assertThat(user.path("email").asText()).as("the address as first written").isEqualTo(address);
        assertThat(user.at("/user_profile/given_name").asText()).isEqualTo("Grace");
        assertThat(membership(user, other)).isPresent();
        assertThat(membership(user, dir.organization().id()).orElseThrow().path("membership_status").asText()).isEqualTo("ACTIVE");
        assertThat(userByEmail(dir.organization().id(), address).path("id").asText()).isEqualTo(userId);

        // Deprovisioning removes this organization's membership only: the user stays for the other one.
        assertThat(dir.send("DELETE", "/Users/" + scimId, null).status()).isEqualTo(204);
        JsonNode after = getUser(userId).json().path("user");
        assertThat(membership(after, dir.organization().id())).isEmpty();
        assertThat(membership(after, other)).isPresent();
        assertThat(organizationUsers(dir.organization().id())).isEmpty();
    }

    @Test
    void patchWhenDeactivatedThenMembershipInactiveUntilReactivatedAndDeleteRemovesUser() {
        ScimDirectoryFixture dir = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.MICROSOFT_AD);
        String org = dir.organization().id();
        String address = email("kate");
        String scimId = scimUser(dir, address, "Kate", "Libby").path("id").asText();
        String userId = userByEmail(org, address).path("id").asText();

        // Entra's form: capitalised op, boolean as a string.
        dir.patch("/Users/" + scimId, """
                [{"op":"Replace","path":"active","value":"False"}]""");
        JsonNode inactive = getUser(userId).json().path("user");
        assertThat(membership(inactive, org).orElseThrow().path("membership_status").asText()).isEqualTo("INACTIVE");
        assertThat(inactive.at("/user_profile/given_name").asText()).as("the data stays").isEqualTo("Kate");

        // Okta's form: path-less replace.
        dir.patch("/Users/" + scimId, """
                [{"op":"replace","value":{"active":true,"name.givenName":"Katherine"}}]""");
        JsonNode active = getUser(userId).json().path("user");
        assertThat(membership(active, org).orElseThrow().path("membership_status").asText()).isEqualTo("ACTIVE");
        assertThat(active.at("/user_profile/given_name").asText()).isEqualTo("Katherine");

        // An email change of a user only this organization has renames them: same ID.
        String renamed = email("kate.renamed");
        dir.patch("/Users/" + scimId, """
                [{"op":"replace","path":"emails[type eq \\"work\\"].value","value":"%s"}]""".formatted(renamed));
        assertThat(getUser(userId).json().at("/user/email").asText()).isEqualTo(renamed);

        assertThat(dir.send("DELETE", "/Users/" + scimId, null).status()).isEqualTo(204);
        assertThat(getUser(userId).status()).as("no membership left: the user is deprovisioned").isEqualTo(404);
    }

    @Test
    void directoriesWhenTwoOrganizationsProvisionOneEmailThenOneUserTwoMembershipsAndNoCrossDirectoryAccess() {
        ScimDirectoryFixture a = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.OKTA);
        ScimDirectoryFixture b = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.OKTA);
        String address = email("dade");
        String inA = scimUser(a, address, "Dade", "Murphy").path("id").asText();
        String inB = scimUser(b, address, "Dade", "Murphy").path("id").asText();
        String userId = userByEmail(a.organization().id(), address).path("id").asText();
        assertThat(userByEmail(b.organization().id(), address).path("id").asText()).isEqualTo(userId);

        // B's token reaches none of A's users: 404, and A's membership is untouched.
        ScimDirectoryFixture.assertScimError(b.send("PATCH", "/Users/" + inA, """
                {"schemas":["%s"],"Operations":[{"op":"replace","path":"active","value":false}]}"""
                .formatted(ScimDirectoryFixture.PATCH_OP)), 404, null);
        ScimDirectoryFixture.assertScimError(b.send("DELETE", "/Users/" + inA, null), 404, null);
        assertThat(membership(getUser(userId).json().path("user"), a.organization().id()).orElseThrow()
                .path("membership_status").asText()).isEqualTo("ACTIVE");

        // B deactivates and deletes its own: only B's organization changes.
        b.patch("/Users/" + inB, """
                [{"op":"replace","path":"active","value":false}]""");
        JsonNode user = getUser(userId).json().path("user");
        assertThat(membership(user, b.organization().id()).orElseThrow().path("membership_status").asText()).isEqualTo("INACTIVE");
        assertThat(membership(user, a.organization().id()).orElseThrow().path("membership_status").asText()).isEqualTo("ACTIVE");
        assertThat(b.send("DELETE", "/Users/" + inB, null).status()).isEqualTo(204);
        user = getUser(userId).json().path("user");
        assertThat(membership(user, b.organization().id())).isEmpty();
        assertThat(membership(user, a.organization().id())).isPresent();
    }

    @Test
    void provisionWhenNamesCarryNulOrControlCharactersThenScim400OrCleanedProfile() {
        ScimDirectoryFixture dir = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.GENERIC);
        String nul = email("nul");
        ScimDirectoryFixture.assertScimError(dir.send("POST", "/Users", """
                {"schemas":["%s"],"userName":"%s","name":{"familyName":"N\\u0000ul"}}""".formatted(USER, nul)),
                400, "invalidValue");
        ScimDirectoryFixture.assertScimError(dir.send("POST", "/Users/.search", """
                {"filter":"userName eq \\"\\u0000\\""}"""), 400, null);
        String bell = email("bell");
        dir.create("Users", """
                {"schemas":["%s"],"userName":"%s","name":{"givenName":"A\\u0007da"}}""".formatted(USER, bell));
        assertThat(userByEmail(dir.organization().id(), bell).at("/user_profile/given_name").asText()).isEqualTo("Ada");
    }
}
