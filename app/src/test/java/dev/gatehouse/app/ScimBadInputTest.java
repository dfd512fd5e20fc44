package dev.gatehouse.app;

import static dev.gatehouse.app.ScimDirectoryFixture.assertScimError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.directory.DirectoryProvider;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input and foreign credentials get SCIM errors (RFC 7644 §3.12), never a 500; isolation between directories. */
class ScimBadInputTest {
    private static TestGatehouse gatehouse;
    private static ScimDirectoryFixture dir;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
        dir = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.GENERIC);
    }

    @AfterAll
    static void stop() {
        gatehouse.close();
    }

    @Test
    void postWhenMalformedJsonThenInvalidSyntax() {
        assertScimError(dir.send("POST", "/Users", "{\"userName\": "), 400, "invalidSyntax");
        assertScimError(dir.send("POST", "/Users", "[1,2]"), 400, "invalidSyntax");
        assertScimError(dir.send("POST", "/Users", ""), 400, "invalidSyntax");
        assertScimError(dir.send("PATCH", "/Users/diruser_1", "not json"), 400, "invalidSyntax");
    }

    @Test
    void postWhenUnknownSchemaOrMissingUserNameThenInvalidValue() {
        assertScimError(dir.send("POST", "/Users", """
                {"schemas":["urn:example:unknown"],"userName":"x@example.com"}"""), 400, "invalidValue");
        assertScimError(dir.send("POST", "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"y@example.com",
                 "urn:example:extension":{"a":1}}"""), 400, "invalidValue");
        assertScimError(dir.send("POST", "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]}"""), 400, "invalidValue");
        assertScimError(dir.send("POST", "/Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"g",
                 "members":[{"value":"diruser_404"}]}"""), 400, "invalidValue");
    }

    @Test
    void listWhenFilterUnparsableThenInvalidFilter() {
        for (String filter : new String[] {"userName eq", "userName zz \"a\"", "((", "emails[type eq \"work\"]]", "userName eq \"\u00e9\\"}) {
            assertScimError(dir.get("/Users?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)), 400, "invalidFilter");
        }
        // A NUL in the query is refused by the HTTP layer before routing (no path to pick a surface by): still a 400.
        assertThat(dir.get("/Users?filter=" + URLEncoder.encode("userName eq \"\u0000\"", StandardCharsets.UTF_8)).status())
                .isEqualTo(400);
    }

    @Test
    void patchWhenPathInvalidOrOpUnknownThenScim400() {
        String id = dir.createUser("patch-target@example.com").path("id").asText();
        assertScimError(dir.send("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","path":"emails[type eq","value":"x"}]}"""), 400, "invalidPath");
        assertScimError(dir.send("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"frobnicate","path":"title","value":"x"}]}"""), 400, "invalidSyntax");
        assertScimError(dir.send("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove"}]}"""), 400, "noTarget");
        assertScimError(dir.send("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","path":"id","value":"diruser_2"}]}"""), 400, "mutability");
        assertScimError(dir.send("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[]}"""), 400, "invalidSyntax");
        assertScimError(dir.send("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","path":"active","value":"maybe"}]}"""), 400, "invalidValue");
        var deepPath = dir.send("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","path":"name.givenName.x","value":1}]}""");
        assertScimError(deepPath, 400, "invalidValue");
        // The reason in plain words, without the SCIM library's exception class names.
        assertThat(deepPath.json().path("detail").asText()).startsWith("operation on 'name.givenName.x' is invalid: ")
                .doesNotContain("Exception").doesNotContain("com.unboundid");
        assertScimError(dir.send("GET", "/Users/" + id + "?attributes=" + URLEncoder.encode("emails[", StandardCharsets.UTF_8), null),
                400, "invalidPath");
    }

    @Test
    void postWhenBodyIsTenMegabytesThenScim413() {
        String huge = "{\"userName\":\"" + "a".repeat(10 * 1024 * 1024) + "\"}";
        var response = dir.send("POST", "/Users", huge);
        assertScimError(response, 413, null);
    }

    @Test
    void listWhenCountIsOneMillionThenCappedAtMaxResults() {
        dir.createUser("count-1@example.com");
        var response = dir.get("/Users?count=1000000&startIndex=-5");
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(response.json().path("itemsPerPage").asInt()).isLessThanOrEqualTo(1000);
        assertThat(response.json().path("startIndex").asInt()).isEqualTo(1);
        assertScimError(dir.get("/Users?count=abc"), 400, "invalidValue");
        assertScimError(dir.get("/Users?sortOrder=sideways"), 400, "invalidValue");
    }

    @Test
    void requestWhenTokenMissingWrongOrOfAnotherDirectoryThen401() {
        ScimDirectoryFixture other = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.OKTA);
        assertScimError(gatehouse.send("GET", dir.base() + "/Users", null, null, null), 401, null);
        assertScimError(gatehouse.send("GET", dir.base() + "/Users", "gds_wrong", null, null), 401, null);
        assertScimError(gatehouse.send("GET", dir.base() + "/Users", other.token(), null, null), 401, null);
        assertScimError(gatehouse.send("GET", "/directory/dir_404/scim/v2/Users", dir.token(), null, null), 401, null);
        var basic = gatehouse.send("GET", dir.base() + "/Users",
                Map.of("Authorization", "Basic " + dir.token()), HttpRequest.BodyPublishers.noBody());
        assertScimError(basic, 401, null);
        assertThat(basic.header("www-authenticate")).isPresent();
    }

    @Test
    void requestWhenResourceOfAnotherDirectoryThen404() {
        ScimDirectoryFixture other = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.OKTA);
        String foreignUser = other.createUser("foreign@example.com").path("id").asText();
        String foreignGroup = other.create("Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"foreign",
                 "members":[{"value":"%s"}]}""".formatted(foreignUser)).path("id").asText();
        assertScimError(dir.get("/Users/" + foreignUser), 404, null);
        assertScimError(dir.get("/Groups/" + foreignGroup), 404, null);
        assertScimError(dir.send("PUT", "/Users/" + foreignUser, """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"stolen@example.com"}"""), 404, null);
        assertScimError(dir.send("PATCH", "/Groups/" + foreignGroup, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"remove","path":"members"}]}"""), 404, null);
        assertScimError(dir.send("DELETE", "/Users/" + foreignUser, null), 404, null);
        assertScimError(dir.send("DELETE", "/Groups/" + foreignGroup, null), 404, null);
        assertThat(dir.get("/Users?filter=" + URLEncoder.encode("userName eq \"foreign@example.com\"", StandardCharsets.UTF_8))
                .json().path("totalResults").asInt()).isZero();
        // A foreign user cannot be made a member of this directory's group either.
        String group = dir.create("Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"local"}""").path("id").asText();
        assertScimError(dir.send("PATCH", "/Groups/" + group, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"add","path":"members","value":[{"value":"%s"}]}]}""".formatted(foreignUser)), 400, "invalidValue");
        // Everything of the other directory is intact.
        assertThat(other.get("/Users/" + foreignUser).status()).isEqualTo(200);
        assertThat(other.get("/Groups/" + foreignGroup).json().path("members")).hasSize(1);
    }

    @Test
    void requestWhenUnknownEndpointMethodOrBulkThenScimError() {
        assertScimError(dir.get("/Nope"), 404, null);
        assertScimError(dir.send("DELETE", "/Users", null), 405, null);
        assertScimError(dir.send("POST", "/Bulk", "{}"), 501, null);
        assertScimError(gatehouse.send("GET", "/directory/" + dir.directory().id() + "/other", dir.token(), null, null), 404, null);
    }

    @Test
    void requestWhenDirectoryDisabledThen403() {
        ScimDirectoryFixture disabled = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.JUMPCLOUD);
        gatehouse.wiring.directories.setEnabled(gatehouse.environmentId(), disabled.organization().id(),
                disabled.directory().id(), false);
        assertScimError(disabled.get("/Users"), 403, null);
    }

    @Test
    void discoveryWhenFetchedThenAdvertisesExactlyWhatIsSupported() {
        var config = dir.get("/ServiceProviderConfig").json();
        assertThat(config.path("patch").path("supported").asBoolean()).isTrue();
        assertThat(config.path("bulk").path("supported").asBoolean()).isFalse();
        assertThat(config.path("etag").path("supported").asBoolean()).isFalse();
        assertThat(config.path("changePassword").path("supported").asBoolean()).isFalse();
        assertThat(config.path("sort").path("supported").asBoolean()).isTrue();
        assertThat(config.path("filter").path("maxResults").asInt()).isEqualTo(1000);
        var types = dir.get("/ResourceTypes").json();
        assertThat(types.path("Resources")).extracting(t -> t.path("id").asText()).containsExactly("User", "Group");
        var schemas = dir.get("/Schemas").json();
        assertThat(schemas.path("Resources")).extracting(s -> s.path("id").asText()).containsExactly(
                "urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                "urn:ietf:params:scim:schemas:core:2.0:Group");
        assertThat(dir.get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group").status()).isEqualTo(200);
        assertThat(dir.get("/ResourceTypes/User").json().path("endpoint").asText()).isEqualTo("/Users");
    }
}
