package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.directory.Directory;
import dev.gatehouse.core.directory.DirectoryProvider;
import dev.gatehouse.core.directory.DirectoryType;
import dev.gatehouse.core.organization.Organization;

/** An enabled SCIM directory on a {@link TestGatehouse}, with its bearer token, and a SCIM client of raw JSON. */
record ScimDirectoryFixture(TestGatehouse gatehouse, Organization organization, Directory directory, String token) {
    static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    static ScimDirectoryFixture create(TestGatehouse gatehouse, DirectoryProvider provider) {
        String env = gatehouse.environmentId();
        Organization organization = gatehouse.seedOrganization(env, "SCIM Org " + System.nanoTime(), null);
        Directory directory = gatehouse.wiring.directories.create(env, organization.id(), DirectoryType.SCIM, provider);
        gatehouse.wiring.directories.setEnabled(env, organization.id(), directory.id(), true);
        String token = gatehouse.wiring.directories.createSecret(env, organization.id(), directory.id()).plainSecret();
        return new ScimDirectoryFixture(gatehouse, organization, directory, token);
    }

    String base() {
        return "/directory/" + directory.id() + "/scim/v2";
    }

    String baseUrl() {
        return gatehouse.baseUrl() + base();
    }

    TestGatehouse.Response send(String method, String path, String body) {
        return gatehouse.send(method, base() + path, token, body == null ? null : "application/scim+json", body);
    }

    TestGatehouse.Response get(String path) {
        return send("GET", path, null);
    }

    /** POSTs and asserts 201; returns the created resource. */
    JsonNode create(String collection, String json) {
        TestGatehouse.Response response = send("POST", "/" + collection, json);
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response.json();
    }

    JsonNode createUser(String userName) {
        return create("Users", """
                {"schemas":["%s"],"userName":"%s","name":{"givenName":"G","familyName":"F"},
                 "emails":[{"value":"%s","type":"work","primary":true}],"active":true}""".formatted(USER, userName, userName));
    }

    JsonNode patch(String path, String operations) {
        TestGatehouse.Response response = send("PATCH", path, """
                {"schemas":["%s"],"Operations":%s}""".formatted(PATCH_OP, operations));
        assertThat(response.status()).as("%s", response).isIn(200, 204);
        return response.status() == 200 ? response.json() : null;
    }

    static void assertScimError(TestGatehouse.Response response, int status, String scimType) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        assertThat(response.header("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/scim+json"));
        JsonNode body = response.json();
        assertThat(body.path("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(body.path("status").asText()).isEqualTo(Integer.toString(status));
        if (scimType != null) {
            assertThat(body.path("scimType").asText()).isEqualTo(scimType);
        }
    }
}
