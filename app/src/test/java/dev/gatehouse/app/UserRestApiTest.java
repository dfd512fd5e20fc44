package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Users API over REST (HTTP/1.1 JSON through Armeria's transcoding) against a whole running Gatehouse. */
class UserRestApiTest {
    private static UserTestGatehouse gatehouse;

    @BeforeAll
    static void start() throws Exception {
        gatehouse = UserTestGatehouse.start();
    }

    @AfterAll
    static void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    private static String organization(String name) throws Exception {
        var created = gatehouse.rest("POST", "/api/v1/organizations", "{\"display_name\":\"" + name + "\"}");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.json().at("/organization/id").asText();
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void assertRpcStatus(UserTestGatehouse.Rest response, int httpStatus, int grpcCode, String errorCode) {
        assertThat(response.status()).as(response.raw()).isEqualTo(httpStatus);
        assertThat(response.json().get("code").asInt()).isEqualTo(grpcCode);
        assertThat(response.json().get("message").asText()).isNotEmpty();
        assertThat(response.json().at("/details/0/error_code").asText()).isEqualTo(errorCode);
    }

    @Test
    void createUserAndMembershipWhenValidThenCreated201WithSnakeCaseUserAndPendingInvite() throws Exception {
        String org = organization("Rest Acme");
        String email = unique("ada") + "@example.com";
        var created = gatehouse.rest("POST", "/api/v1/organizations/" + org + "/users", """
                {"email":"%s","external_id":"%s","metadata":{"plan":"pro"},
                 "user_profile":{"first_name":"Ada","last_name":"Lovelace","locale":"en-GB"},
                 "membership":{"roles":[{"name":"admin"}],"inviter_email":"boss@example.com"}}""".formatted(email, unique("ext-")));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        JsonNode user = created.json().get("user");
        assertThat(user.get("id").asText()).startsWith("usr_");
        assertThat(user.get("email").asText()).isEqualTo(email);
        assertThat(user.at("/user_profile/first_name").asText()).isEqualTo("Ada");
        assertThat(user.at("/user_profile/email_verified").asBoolean()).isFalse();
        assertThat(user.at("/metadata/plan").asText()).isEqualTo("pro");
        JsonNode membership = user.at("/memberships/0");
        assertThat(membership.get("organization_id").asText()).isEqualTo(org);
        assertThat(membership.get("membership_status").asText()).isEqualTo("PENDING_INVITE");
        assertThat(membership.at("/roles/0/name").asText()).isEqualTo("admin");
        assertThat(membership.at("/roles/0/id").asText()).startsWith("role_");
        assertThat(membership.get("inviter_email").asText()).isEqualTo("boss@example.com");
        assertThat(membership.get("display_name").asText()).isEqualTo("Rest Acme");
        assertThat(membership.has("expires_at")).isTrue();

        var read = gatehouse.rest("GET", "/api/v1/users/" + user.get("id").asText(), null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("user")).isEqualTo(user);
    }

    @Test
    void createUserAndMembershipWhenSendInvitationEmailFalseThenActiveAndVerified() throws Exception {
        String org = organization("Rest Active");
        var created = gatehouse.rest("POST", "/api/v1/organizations/" + org + "/users?send_invitation_email=false",
                "{\"email\":\"" + unique("bo") + "@example.com\"}");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.json().at("/user/memberships/0/membership_status").asText()).isEqualTo("ACTIVE");
        assertThat(created.json().at("/user/memberships/0/roles/0/name").asText()).isEqualTo("member");
        assertThat(created.json().at("/user/user_profile/email_verified").asBoolean()).isTrue();
    }

    @Test
    void createUserAndMembershipWhenBadInputThen400WithFieldViolationsAndNothingWritten() throws Exception {
        String org = organization("Rest Bad");
        long usersBefore = gatehouse.count("users");
        var badEmail = gatehouse.rest("POST", "/api/v1/organizations/" + org + "/users",
                "{\"email\":\"not-an-email\",\"metadata\":{\"k\":\"\"}}");
        assertRpcStatus(badEmail, 400, 3, "INVALID_ARGUMENT");
        List<String> fields = new ArrayList<>();
        badEmail.json().at("/details/0/validation_error_info/field_violations")
                .forEach(v -> fields.add(v.get("field").asText()));
        assertThat(fields).contains("user.email", "user.metadata[k]");

        assertRpcStatus(gatehouse.rest("POST", "/api/v1/organizations/" + org + "/users",
                "{\"email\":\"x@example.com\",\"membership\":{\"roles\":[{\"name\":\"superuser\"}]}}"), 400, 3, "INVALID_ARGUMENT");
        assertRpcStatus(gatehouse.rest("POST", "/api/v1/organizations/not-an-org/users",
                "{\"email\":\"x@example.com\"}"), 400, 3, "INVALID_ARGUMENT");
        assertRpcStatus(gatehouse.rest("POST", "/api/v1/organizations/org_404/users",
                "{\"email\":\"x@example.com\"}"), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.rest("POST", "/api/v1/organizations/" + org + "/users",
                "{\"email\": [1, 2"), 400, 3, "INVALID_ARGUMENT");
        assertThat(gatehouse.count("users")).isEqualTo(usersBefore);
    }

    @Test
    void createUserAndMembershipWhenEmailTakenInOtherCaseThen409AndNothingWritten() throws Exception {
        String org = organization("Rest Dup");
        String email = unique("dup") + "@example.com";
        assertThat(gatehouse.rest("POST", "/api/v1/organizations/" + org + "/users",
                "{\"email\":\"" + email + "\"}").status()).isEqualTo(201);
        long usersBefore = gatehouse.count("users");
        long membershipsBefore = gatehouse.count("memberships");
        assertRpcStatus(gatehouse.rest("POST", "/api/v1/organizations/" + organization("Rest Dup 2") + "/users",
                "{\"email\":\"" + email.toUpperCase() + "\"}"), 409, 6, "ALREADY_EXISTS");
        assertThat(gatehouse.count("users")).isEqualTo(usersBefore);
        assertThat(gatehouse.count("memberships")).isEqualTo(membershipsBefore);
    }

    @Test
    void membershipsWhenAddedUpdatedResentAndRemovedOverRestThenEachStepVisible() throws Exception {
        String a = organization("Rest A");
        String b = organization("Rest B");
        String id = gatehouse.rest("POST", "/api/v1/organizations/" + a + "/users?send_invitation_email=false",
                "{\"email\":\"" + unique("m") + "@example.com\"}").json().at("/user/id").asText();

        var added = gatehouse.rest("POST", "/api/v1/memberships/organizations/" + b + "/users/" + id,
                "{\"roles\":[{\"name\":\"member\"}],\"metadata\":{\"seat\":\"7\"}}");
        assertThat(added.status()).as(added.raw()).isEqualTo(201);
        assertThat(added.json().at("/user/memberships")).hasSize(2);
        assertRpcStatus(gatehouse.rest("POST", "/api/v1/memberships/organizations/" + b + "/users/" + id, "{}"),
                409, 6, "ALREADY_EXISTS");

        var updated = gatehouse.rest("PATCH", "/api/v1/memberships/organizations/" + b + "/users/" + id,
                "{\"roles\":[{\"name\":\"admin\"}]}");
        assertThat(updated.status()).as(updated.raw()).isEqualTo(200);
        var roles = gatehouse.rest("GET", "/api/v1/organizations/" + b + "/users/" + id + "/roles", null);
        assertThat(roles.json().at("/roles/0/name").asText()).isEqualTo("admin");

        var resent = gatehouse.rest("PATCH", "/api/v1/invites/organizations/" + b + "/users/" + id + "/resend", "{}");
        assertThat(resent.status()).as(resent.raw()).isEqualTo(200);
        assertThat(resent.json().at("/invite/status").asText()).isEqualTo("PENDING_INVITE");
        assertThat(resent.json().at("/invite/resent_count").asInt()).isEqualTo(1);
        assertRpcStatus(gatehouse.rest("PATCH", "/api/v1/invites/organizations/" + a + "/users/" + id + "/resend", "{}"),
                400, 9, "FAILED_PRECONDITION");

        var members = gatehouse.rest("GET", "/api/v1/organizations/" + b + "/users?page_size=10", null);
        assertThat(members.status()).isEqualTo(200);
        assertThat(members.json().get("total_size").asInt()).isEqualTo(1);
        assertThat(members.json().at("/users/0/id").asText()).isEqualTo(id);

        assertThat(gatehouse.rest("DELETE", "/api/v1/memberships/organizations/" + b + "/users/" + id, null).status()).isEqualTo(200);
        assertThat(gatehouse.rest("GET", "/api/v1/organizations/" + b + "/users", null).json().get("total_size").asInt()).isZero();
        assertRpcStatus(gatehouse.rest("DELETE", "/api/v1/memberships/organizations/" + b + "/users/" + id, null), 404, 5, "NOT_FOUND");
    }

    @Test
    void updateAndDeleteUserOverRestThenPartialUpdateAndGoneAfterwards() throws Exception {
        String org = organization("Rest Upd");
        String id = gatehouse.rest("POST", "/api/v1/organizations/" + org + "/users",
                "{\"email\":\"" + unique("u") + "@example.com\",\"metadata\":{\"plan\":\"free\"}}").json().at("/user/id").asText();
        var updated = gatehouse.rest("PATCH", "/api/v1/users/" + id,
                "{\"external_id\":\"" + unique("e-") + "\",\"user_profile\":{\"given_name\":\"Una\",\"phone_number\":\"+14155550123\"}}");
        assertThat(updated.status()).as(updated.raw()).isEqualTo(200);
        assertThat(updated.json().at("/user/user_profile/given_name").asText()).isEqualTo("Una");
        assertThat(updated.json().at("/user/metadata/plan").asText()).isEqualTo("free");
        assertRpcStatus(gatehouse.rest("PATCH", "/api/v1/users/" + id, "{\"user_profile\":{\"phone_number\":\"12\"}}"),
                400, 3, "INVALID_ARGUMENT");
        assertRpcStatus(gatehouse.rest("PATCH", "/api/v1/users/nope", "{}"), 400, 3, "INVALID_ARGUMENT");

        assertThat(gatehouse.rest("DELETE", "/api/v1/users/" + id, null).status()).isEqualTo(200);
        assertRpcStatus(gatehouse.rest("GET", "/api/v1/users/" + id, null), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.rest("DELETE", "/api/v1/users/" + id, null), 404, 5, "NOT_FOUND");
    }

    @Test
    void listUsersWhenPagedThenEveryUserOnceAndBadTokenIs400() throws Exception {
        String org = organization("Rest Page");
        for (int i = 0; i < 12; i++) {
            assertThat(gatehouse.rest("POST", "/api/v1/organizations/" + org + "/users",
                    "{\"email\":\"" + unique("p" + i) + "@example.com\"}").status()).isEqualTo(201);
        }
        List<String> seen = new ArrayList<>();
        String token = "";
        int total;
        do {
            var page = gatehouse.rest("GET", "/api/v1/organizations/" + org + "/users?page_size=5&page_token=" + token, null);
            assertThat(page.status()).as(page.raw()).isEqualTo(200);
            page.json().get("users").forEach(u -> seen.add(u.get("id").asText()));
            token = page.json().get("next_page_token").asText();
            total = page.json().get("total_size").asInt();
        } while (!token.isEmpty());
        assertThat(total).isEqualTo(12);
        assertThat(seen).hasSize(12).doesNotHaveDuplicates();
        assertThat(gatehouse.rest("GET", "/api/v1/users?page_size=1000", null).status()).isEqualTo(200);
        assertRpcStatus(gatehouse.rest("GET", "/api/v1/users?page_token=garbage!", null), 400, 3, "INVALID_ARGUMENT");
    }

    @Test
    void searchUsersWhenQueryMatchesEmailThenOnlyMatchesAndShortQueryIs400() throws Exception {
        String org = organization("Rest Search");
        String marker = unique("srch");
        String inOrg = gatehouse.rest("POST", "/api/v1/organizations/" + org + "/users",
                "{\"email\":\"" + marker + "-one@example.com\"}").json().at("/user/id").asText();
        String elsewhere = gatehouse.rest("POST", "/api/v1/organizations/" + organization("Rest Search 2") + "/users",
                "{\"email\":\"" + marker + "-two@example.com\"}").json().at("/user/id").asText();

        var all = gatehouse.rest("GET", "/api/v1/users:search?query=" + marker.toUpperCase(), null);
        assertThat(all.status()).as(all.raw()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        all.json().get("users").forEach(u -> ids.add(u.get("id").asText()));
        assertThat(ids).containsExactly(inOrg, elsewhere);
        assertThat(all.json().get("total_size").asInt()).isEqualTo(2);

        var inOrganization = gatehouse.rest("GET", "/api/v1/organizations/" + org + "/users:search?query=" + marker, null);
        assertThat(inOrganization.status()).as(inOrganization.raw()).isEqualTo(200);
        assertThat(inOrganization.json().at("/users/0/id").asText()).isEqualTo(inOrg);
        assertThat(inOrganization.json().get("users")).hasSize(1);

        assertRpcStatus(gatehouse.rest("GET", "/api/v1/users:search?query=ab", null), 400, 3, "INVALID_ARGUMENT");
        assertRpcStatus(gatehouse.rest("GET", "/api/v1/users:search?query=abcd&page_size=31", null), 400, 3, "INVALID_ARGUMENT");
    }

    @Test
    void assignAndRemoveRolesWhenCalledOverRestThenMembershipRolesChange() throws Exception {
        String org = organization("Rest Roles");
        String id = gatehouse.rest("POST", "/api/v1/organizations/" + org + "/users",
                "{\"email\":\"" + unique("r") + "@example.com\"}").json().at("/user/id").asText();
        String path = "/api/v1/organizations/" + org + "/users/" + id + "/roles";
        var assigned = gatehouse.rest("POST", path, "[{\"role_name\":\"admin\"}]");
        assertThat(assigned.status()).as(assigned.raw()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        assigned.json().get("roles").forEach(r -> names.add(r.get("name").asText()));
        assertThat(names).containsExactly("member", "admin");

        assertThat(gatehouse.rest("DELETE", path + "/member", null).status()).isEqualTo(200);
        assertThat(gatehouse.rest("GET", path, null).json().at("/roles/0/name").asText()).isEqualTo("admin");
        assertThat(gatehouse.rest("GET", path, null).json().get("roles")).hasSize(1);
        assertRpcStatus(gatehouse.rest("DELETE", path + "/member", null), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.rest("POST", path, "[{\"role_name\":\"wizard\"}]"), 400, 3, "INVALID_ARGUMENT");
    }

    @Test
    void externalIdPathsWhenUsedOverRestThenGetUpdateMembershipsAndDeleteWork() throws Exception {
        String org = organization("Rest Ext");
        String other = organization("Rest Ext 2");
        String externalId = unique("ext/ü ");
        String encoded = java.net.URLEncoder.encode(externalId, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        String id = gatehouse.rest("POST", "/api/v1/organizations/" + org + "/users", "{\"email\":\"" + unique("x")
                + "@example.com\",\"external_id\":\"" + externalId + "\"}").json().at("/user/id").asText();

        var got = gatehouse.rest("GET", "/api/v1/users:external/" + encoded, null);
        assertThat(got.status()).as(got.raw()).isEqualTo(200);
        assertThat(got.json().at("/user/id").asText()).isEqualTo(id);
        assertThat(got.json().at("/user/external_id").asText()).isEqualTo(externalId);

        var patched = gatehouse.rest("PATCH", "/api/v1/users:external/" + encoded, "{\"metadata\":{\"plan\":\"team\"}}");
        assertThat(patched.status()).as(patched.raw()).isEqualTo(200);
        assertThat(patched.json().at("/user/metadata/plan").asText()).isEqualTo("team");

        String membership = "/api/v1/memberships/organizations/" + other + "/users:external/" + encoded;
        var added = gatehouse.rest("POST", membership + "?send_invitation_email=false", "{\"roles\":[{\"name\":\"admin\"}]}");
        assertThat(added.status()).as(added.raw()).isEqualTo(201);
        assertThat(added.json().at("/user/memberships")).hasSize(2);
        var changed = gatehouse.rest("PATCH", membership, "{\"roles\":[{\"name\":\"member\"}]}");
        assertThat(changed.status()).as(changed.raw()).isEqualTo(200);
        assertThat(gatehouse.rest("DELETE", membership, null).status()).isEqualTo(200);
        assertRpcStatus(gatehouse.rest("DELETE", membership, null), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.rest("PATCH", "/api/v1/users:external/" + encoded, "{\"metadata\": 5"), 400, 3, "INVALID_ARGUMENT");
        assertRpcStatus(gatehouse.rest("POST", "/api/v1/memberships/organizations/bad/users:external/" + encoded, "{}"),
                400, 3, "INVALID_ARGUMENT");

        assertThat(gatehouse.rest("DELETE", "/api/v1/users:external/" + encoded, null).status()).isEqualTo(200);
        assertRpcStatus(gatehouse.rest("GET", "/api/v1/users:external/" + encoded, null), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.rest("GET", "/api/v1/users/" + id, null), 404, 5, "NOT_FOUND");

        var anonymous = gatehouse.http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(gatehouse.baseUrl + "/api/v1/users:external/" + encoded)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void unimplementedRpcsWhenCalledThen501InTheApiShape() throws Exception {
        assertRpcStatus(gatehouse.rest("GET", "/api/v1/users/me", null), 501, 12, "UNIMPLEMENTED");
        assertRpcStatus(gatehouse.rest("GET", "/api/v1/organizations/org_1/users/usr_1/permissions", null),
                501, 12, "UNIMPLEMENTED");
    }
}
