package dev.gatehouse.app;

import static dev.gatehouse.app.RpcStatusAssertions.assertInvalidArgument;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.connection.LoginRoute;
import dev.gatehouse.core.connection.LoginSelectors;
import dev.gatehouse.core.testing.TestIdpMetadata;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The README's walk-through with a metadata URL, on a server with the dev setting GATEHOUSE_SSO_ALLOW_PRIVATE_METADATA
 * (the IdP is a local HTTP server): organization, SAML connection from the metadata URL, domain, enable; then the
 * login router sends that domain's users to the connection.
 */
class ConnectionMetadataUrlTest {
    @Test
    void walkThroughWhenMetadataUrlDomainAndEnableThenDomainRoutesToTheConnection() {
        try (TestGatehouse gatehouse = TestGatehouse.start(Map.of("GATEHOUSE_SSO_ALLOW_PRIVATE_METADATA", "true"));
             IdpMetadataServer idp = new IdpMetadataServer()) {
            String token = gatehouse.accessToken();
            String org = gatehouse.postJson("/api/v1/organizations", token, Map.of("display_name", "Megacorp"))
                    .json().path("organization").path("id").asText();
            TestGatehouse.Response created = gatehouse.postJson("/api/v1/organizations/" + org + "/connections", token,
                    Map.of("provider", "OKTA", "type", "SAML"));
            String id = created.json().path("connection").path("id").asText();
            String path = "/api/v1/organizations/" + org + "/connections/" + id;

            assertInvalidArgument(gatehouse.patchJson(path, token, Map.of("saml_config", Map.of("idp_metadata_url", idp.url("/missing")))),
                    "connection.saml_config.idp_metadata_url");

            String url = idp.serve("/app/okta/sso/saml/metadata", TestIdpMetadata.rollover());
            TestGatehouse.Response configured = gatehouse.patchJson(path, token, Map.of("saml_config", Map.of("idp_metadata_url", url)));
            assertThat(configured.status()).as("%s", configured).isEqualTo(200);
            JsonNode connection = configured.json().path("connection");
            assertThat(connection.path("status").asText()).isEqualTo("COMPLETED");
            assertThat(connection.path("configuration_type").asText()).isEqualTo("DISCOVERY");
            JsonNode saml = connection.path("saml_config");
            assertThat(saml.path("idp_metadata_url").asText()).isEqualTo(url);
            assertThat(saml.path("idp_entity_id").asText()).isEqualTo("https://idp.example.test/entity");
            assertThat(saml.path("idp_metadata_refresh_time").asText()).isNotBlank();
            assertThat(saml.path("idp_certificates")).extracting(c -> c.path("expiry_time").asText())
                    .containsExactly("2034-12-30T05:50:30Z", "2034-12-30T05:50:34Z");

            assertThat(gatehouse.postJson("/api/v1/organizations/" + org + "/domains", token, Map.of("domain", "megacorp.test"))
                    .status()).isEqualTo(201);
            assertThat(gatehouse.send("PATCH", path + ":enable", token, null, null).json().path("enabled").asBoolean()).isTrue();

            LoginRoute route = gatehouse.wiring.loginRouter.route(gatehouse.environmentId(), new LoginSelectors(Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("jane@MEGACORP.test")));
            assertThat(route).isInstanceOfSatisfying(LoginRoute.ToConnection.class, to -> assertThat(to.connection().id()).isEqualTo(id));
            assertThat(gatehouse.get("/api/v1/connections?domain=megacorp.test", token).json().path("connections"))
                    .extracting(c -> c.path("id").asText()).isEqualTo(List.of(id));
        }
    }
}
