package dev.gatehouse.app;

import static dev.gatehouse.app.RpcStatusAssertions.assertClientErrorShape;
import static dev.gatehouse.app.RpcStatusAssertions.assertInvalidArgument;
import static dev.gatehouse.app.RpcStatusAssertions.assertRpcStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.testing.TestCertificates;
import dev.gatehouse.core.testing.TestIdpMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Connections and Domains APIs over REST (HTTP/1.1, JSON transcoding) against a running Gatehouse with the
 * production SSRF policy (no GATEHOUSE_SSO_ALLOW_PRIVATE_METADATA): lifecycle, events, sealed secrets, bad input,
 * metadata URLs refused, and environments kept apart.
 */
class ConnectionRestTest {
    static TestGatehouse gatehouse;
    static String token;
    static IdpMetadataServer idp;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
        token = gatehouse.accessToken();
        idp = new IdpMetadataServer();
    }

    @AfterAll
    static void stop() {
        if (idp != null) {
            idp.close();
        }
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    static String organization(String token) {
        TestGatehouse.Response response = gatehouse.postJson("/api/v1/organizations", token,
                Map.of("display_name", "Org " + UUID.randomUUID().toString().substring(0, 8)));
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response.json().path("organization").path("id").asText();
    }

    static String connections(String org) {
        return "/api/v1/organizations/" + org + "/connections";
    }

    static JsonNode createConnection(String token, String org, String type, String provider) {
        TestGatehouse.Response response = gatehouse.postJson(connections(org), token, Map.of("type", type, "provider", provider));
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response.json().path("connection");
    }

    static JsonNode patch(String org, String id, Object body) {
        TestGatehouse.Response response = gatehouse.patchJson(connections(org) + "/" + id, token, body);
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response.json().path("connection");
    }

    static Map<String, Object> manualSaml() {
        return Map.of("saml_config", Map.of("idp_entity_id", "https://idp.example.test/entity",
                "idp_sso_url", "https://idp.example.test/sso", "idp_certificate", TestCertificates.IDP_1));
    }

    static List<String> eventTypes(String connectionId) {
        return gatehouse.wiring.database.jdbi().withHandle(h -> h.createQuery(
                        "select type from events where data like :id order by seq")
                .bind("id", "%\"id\":\"" + connectionId + "\"%").mapTo(String.class).list());
    }

    @Test
    void samlConnectionWhenConfiguredByHandWithDomainAndEnabledThenCompleteActiveAndEventsWritten() {
        String org = organization(token);
        JsonNode created = createConnection(token, org, "SAML", "OKTA");
        String id = created.path("id").asText();
        assertThat(id).matches("conn_\\d{17}");
        assertThat(created.path("status").asText()).isEqualTo("DRAFT");
        assertThat(created.path("enabled").asBoolean()).isFalse();
        assertThat(created.path("type").asText()).isEqualTo("SAML");
        assertThat(created.path("organization_id").asText()).isEqualTo(org);
        assertThat(created.path("attribute_mapping").path("email").asText()).isEqualTo("email");
        JsonNode sp = created.path("saml_config");
        assertThat(sp.path("sp_assertion_url").asText()).isEqualTo(gatehouse.baseUrl() + "/sso/v1/saml/" + id + "/callback");
        assertThat(sp.path("sp_metadata_url").asText()).isEqualTo(gatehouse.baseUrl() + "/sso/v1/saml/" + id + "/metadata");
        assertThat(sp.path("sp_entity_id").asText()).isEqualTo(sp.path("sp_metadata_url").asText());

        TestGatehouse.Response early = gatehouse.send("PATCH", connections(org) + "/" + id + ":enable", token, null, null);
        assertRpcStatus(early, 400, 9, "FAILED_PRECONDITION");

        JsonNode configured = patch(org, id, Map.of("saml_config", Map.of(
                "idp_entity_id", "https://idp.example.test/entity", "idp_sso_url", "https://idp.example.test/sso",
                "idp_certificate", TestCertificates.IDP_1 + TestCertificates.IDP_2,
                "allow_idp_initiated_login", true, "saml_signing_option", "SAML_ONLY_ASSERTION_SIGNING",
                "idp_name_id_format", "EMAIL", "default_redirect_uri", "http://localhost:3000/callback")));
        assertThat(configured.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(configured.path("configuration_type").asText()).isEqualTo("MANUAL");
        JsonNode saml = configured.path("saml_config");
        assertThat(saml.path("allow_idp_initiated_login").asBoolean()).isTrue();
        assertThat(saml.path("saml_signing_option").asText()).isEqualTo("SAML_ONLY_ASSERTION_SIGNING");
        assertThat(saml.path("idp_name_id_format").asText()).isEqualTo("EMAIL");
        assertThat(saml.path("idp_certificates")).hasSize(2);
        assertThat(saml.path("idp_certificates").get(0).path("expiry_time").asText()).isEqualTo("2034-12-30T05:50:30Z");
        assertThat(saml.path("idp_certificates").get(0).path("id").asText()).startsWith("cert_");

        String name = "sso-" + id.replace('_', '-') + ".example.test";
        TestGatehouse.Response domain = gatehouse.postJson("/api/v1/organizations/" + org + "/domains", token,
                Map.of("domain", name.toUpperCase()));
        assertThat(domain.status()).as("%s", domain).isEqualTo(201);
        String domainId = domain.json().path("domain").path("id").asText();
        assertThat(domain.json().path("domain").path("domain").asText()).isEqualTo(name);
        assertThat(domain.json().path("domain").path("domain_type").asText()).isEqualTo("ORGANIZATION_DOMAIN");
        TestGatehouse.Response assigned = gatehouse.send("PUT", connections(org) + "/" + id + "/domains", token,
                "application/json", TestGatehouse.toJson(Map.of("domain_ids", List.of(domainId))));
        assertThat(assigned.status()).as("%s", assigned).isEqualTo(200);
        assertThat(assigned.json().path("connection").path("domains").get(0).path("connection_id").asText()).isEqualTo(id);

        TestGatehouse.Response enabled = gatehouse.send("PATCH", connections(org) + "/" + id + ":enable", token, null, null);
        assertThat(enabled.status()).as("%s", enabled).isEqualTo(200);
        assertThat(enabled.json().path("enabled").asBoolean()).isTrue();
        TestGatehouse.Response again = gatehouse.send("PATCH", "/api/v1/connections/" + id + ":enable", token, null, null);
        assertThat(again.json().path("error_message").asText()).contains("already enabled");

        TestGatehouse.Response byDomain = gatehouse.get("/api/v1/connections?domain=" + name, token);
        assertThat(byDomain.json().path("connections")).hasSize(1);
        assertThat(byDomain.json().path("connections").get(0).path("id").asText()).isEqualTo(id);
        assertThat(byDomain.json().path("connections").get(0).path("domains").get(0).asText()).startsWith("sso-");
        TestGatehouse.Response byOrganization = gatehouse.get("/api/v1/connections?organization_id=" + org, token);
        assertThat(byOrganization.json().path("connections").get(0).path("organization_name").asText()).startsWith("Org ");

        TestGatehouse.Response disabled = gatehouse.send("PATCH", connections(org) + "/" + id + ":disable", token, null, null);
        assertThat(disabled.json().path("enabled").asBoolean()).isFalse();
        assertThat(gatehouse.get("/api/v1/connections?domain=" + name, token).json().path("connections")).isEmpty();
        assertThat(gatehouse.get("/api/v1/connections?domain=" + name + "&include=all", token)
                .json().path("connections")).hasSize(1);

        assertThat(gatehouse.delete(connections(org) + "/" + id, token).status()).isEqualTo(200);
        assertThat(gatehouse.get(connections(org) + "/" + id, token).status()).isEqualTo(404);
        assertThat(eventTypes(id)).containsExactly("organization.sso_created", "organization.sso_updated",
                "organization.sso_enabled", "organization.sso_disabled", "organization.sso_deleted");
    }

    @Test
    void samlConnectionWhenConfiguredWithMetadataXmlThenDiscoveryFromTheDocument() {
        String org = organization(token);
        String id = createConnection(token, org, "SAML", "MICROSOFT_AD").path("id").asText();
        JsonNode configured = patch(org, id, Map.of("saml_config", Map.of("idp_metadata_xml", TestIdpMetadata.rollover())));
        assertThat(configured.path("status").asText()).isEqualTo("COMPLETED");
        JsonNode saml = configured.path("saml_config");
        assertThat(saml.path("idp_entity_id").asText()).isEqualTo("https://idp.example.test/entity");
        assertThat(saml.path("idp_sso_url").asText()).isEqualTo("https://idp.example.test/sso/post");
        assertThat(saml.path("idp_sso_request_binding").asText()).isEqualTo("HTTP_POST");
        assertThat(saml.path("want_request_signed").asBoolean()).isTrue();
        assertThat(saml.path("idp_certificates")).hasSize(2);
        assertThat(configured.path("attribute_mapping").path("email").asText()).endsWith("/claims/emailaddress");

        String doctype = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" + TestIdpMetadata.idp("&e;", "");
        assertInvalidArgument(gatehouse.patchJson(connections(org) + "/" + id, token,
                Map.of("saml_config", Map.of("idp_metadata_xml", doctype))), "connection.saml_config.idp_metadata_xml");
    }

    @Test
    void metadataUrlWhenPrivateOrLinkLocalThenRefusedWithoutAnyRequest() {
        String org = organization(token);
        String id = createConnection(token, org, "SAML", "CUSTOM").path("id").asText();
        String local = idp.serve("/ssrf", TestIdpMetadata.rollover());
        int before = idp.requests.get();
        for (String url : List.of(local, "https://169.254.169.254/latest/meta-data/", "https://10.1.2.3/metadata",
                "https://[::1]:8443/metadata", "file:///etc/passwd", "gopher://idp.example.test/")) {
            JsonNode violations = assertInvalidArgument(gatehouse.patchJson(connections(org) + "/" + id, token,
                    Map.of("saml_config", Map.of("idp_metadata_url", url))), "connection.saml_config.idp_metadata_url");
            assertThat(violations.get(0).path("description").asText()).as(url).containsAnyOf("not allowed", "must");
        }
        assertThat(idp.requests.get()).isEqualTo(before);
        assertThat(gatehouse.get(connections(org) + "/" + id, token).json().path("connection").path("status").asText())
                .isEqualTo("DRAFT");
    }

    @Test
    void oidcConnectionWhenClientSecretSetThenSealedAndNeverEchoed() {
        String org = organization(token);
        String secret = "oidc-secret-" + UUID.randomUUID();
        String id = createConnection(token, org, "OIDC", "OKTA").path("id").asText();
        JsonNode configured = patch(org, id, Map.of("oidc_config", Map.of("issuer", "https://idp.example.test",
                "client_id", "gatehouse-app", "client_secret", secret, "scopes", List.of("openid", "email", "profile"),
                "token_auth_type", "BASIC_AUTH", "pkce_enabled", true)));
        assertThat(configured.path("status").asText()).isEqualTo("COMPLETED");
        JsonNode oidc = configured.path("oidc_config");
        assertThat(oidc.path("client_secret").asText()).isEqualTo("********");
        assertThat(oidc.path("redirect_uri").asText()).isEqualTo(gatehouse.baseUrl() + "/sso/v1/oidc/" + id + "/callback");
        assertThat(oidc.path("token_auth_type").asText()).isEqualTo("BASIC_AUTH");
        assertThat(configured.toString()).doesNotContain(secret);
        for (String path : List.of(connections(org) + "/" + id, "/api/v1/connections/" + id, "/api/v1/connections?organization_id=" + org,
                "/api/v1/organizations/-/connections?page_size=30")) {
            assertThat(gatehouse.get(path, token).body()).as(path).doesNotContain(secret);
        }
        String stored = gatehouse.wiring.database.jdbi().withHandle(h -> h.createQuery("select settings from connections where id = :id")
                .bind("id", id).mapTo(String.class).one());
        assertThat(stored).doesNotContain(secret);
        var connection = gatehouse.wiring.connections.get(gatehouse.environmentId(), java.util.Optional.empty(), id);
        assertThat(gatehouse.wiring.connections.oidcClientSecret(connection)).contains(secret);
        assertThat(eventTypes(id)).containsExactly("organization.sso_created", "organization.sso_updated");
        int eventsWithSecret = gatehouse.wiring.database.jdbi().withHandle(h -> h.createQuery(
                "select count(*) from events where data like :s").bind("s", "%" + secret + "%").mapTo(Integer.class).one());
        assertThat(eventsWithSecret).isZero();
    }

    @Test
    void badInputWhenSentThenRpcStatus4xxAndNothingWritten() {
        String org = organization(token);
        String saml = createConnection(token, org, "SAML", "OKTA").path("id").asText();
        String oidc = createConnection(token, org, "OIDC", "CUSTOM").path("id").asText();
        assertInvalidArgument(gatehouse.postJson(connections(org), token, Map.of("type", "PASSWORD", "provider", "OKTA")), "connection.type");
        assertInvalidArgument(gatehouse.postJson(connections(org), token, Map.of("provider", "OKTA")), "connection.type");
        assertInvalidArgument(gatehouse.postJson(connections(org), token, Map.of("type", "OIDC", "provider", "GITHUB")), "connection.provider");
        assertRpcStatus(gatehouse.postJson(connections("org_404"), token, Map.of("type", "SAML", "provider", "OKTA")), 404, 5, "NOT_FOUND");
        assertInvalidArgument(gatehouse.postJson(connections("org_" + "9".repeat(40)), token, Map.of("type", "SAML")), "organization_id");
        assertClientErrorShape(gatehouse.postJson(connections(org), token, "{\"type\": \"SAML\""));
        assertClientErrorShape(gatehouse.postJson(connections(org), token, Map.of("type", "NOT_A_TYPE")));

        String path = connections(org) + "/" + saml;
        assertInvalidArgument(gatehouse.patchJson(path, token, Map.of("saml_config", Map.of("idp_sso_url", "http://idp.example.test/sso"))),
                "connection.saml_config.idp_sso_url");
        assertInvalidArgument(gatehouse.patchJson(path, token, Map.of("saml_config", Map.of("idp_certificate", "not a certificate"))),
                "connection.saml_config.idp_certificate");
        assertInvalidArgument(gatehouse.patchJson(path, token, Map.of("saml_config", Map.of("saml_signing_option", "NO_SIGNING"))),
                "connection.saml_config.saml_signing_option");
        assertInvalidArgument(gatehouse.patchJson(path, token, Map.of("oidc_config", Map.of("client_id", "x"))), "connection.oidc_config");
        assertInvalidArgument(gatehouse.patchJson(path, token, Map.of("attribute_mapping", Map.of("given_name", "first"))),
                "connection.attribute_mapping");
        assertInvalidArgument(gatehouse.patchJson(connections(org) + "/" + oidc, token,
                Map.of("oidc_config", Map.of("scopes", List.of("email")))), "connection.oidc_config.scopes");
        assertInvalidArgument(gatehouse.patchJson(connections(org) + "/" + oidc, token,
                Map.of("oidc_config", Map.of("issuer", "ftp://idp.example.test"))), "connection.oidc_config.issuer");
        assertRpcStatus(gatehouse.patchJson(connections(org) + "/conn_404", token, manualSaml()), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.send("PATCH", "/api/v1/connections/conn_404:enable", token, null, null), 404, 5, "NOT_FOUND");
        assertInvalidArgument(gatehouse.get("/api/v1/organizations/-/connections?page_size=31", token), "page_size");
        assertInvalidArgument(gatehouse.get("/api/v1/organizations/-/connections?page_token=%25%25", token), "page_token");
        assertInvalidArgument(gatehouse.get("/api/v1/connections?include=everything", token), "include");
        assertInvalidArgument(gatehouse.get("/api/v1/connections?domain=not_a_domain", token), "domain");
        assertInvalidArgument(gatehouse.get("/api/v1/organizations/-/connections:search?provider=facebook", token), "provider");
        assertRpcStatus(gatehouse.get("/api/v1/connections/app", token), 501, 12, "UNIMPLEMENTED");
        assertRpcStatus(gatehouse.postJson("/api/v1/connections", token, Map.of("type", "OIDC")), 501, 12, "UNIMPLEMENTED");

        String domains = "/api/v1/organizations/" + org + "/domains";
        assertInvalidArgument(gatehouse.postJson(domains, token, Map.of("domain", "gmail.com")), "domain.domain");
        assertInvalidArgument(gatehouse.postJson(domains, token, Map.of("domain", "no spaces.test")), "domain.domain");
        assertInvalidArgument(gatehouse.postJson(domains, token, Map.of()), "domain.domain");
        String name = "dup-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        assertThat(gatehouse.postJson(domains, token, Map.of("domain", name)).status()).isEqualTo(201);
        assertRpcStatus(gatehouse.postJson("/api/v1/organizations/" + organization(token) + "/domains", token,
                Map.of("domain", name.toUpperCase())), 409, 6, "ALREADY_EXISTS");
        assertRpcStatus(gatehouse.postJson("/api/v1/organizations/org_404/domains", token, Map.of("domain", "x-" + name)), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.get(domains + "/dom_404", token), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.send("PUT", connections(org) + "/" + saml + "/domains", token, "application/json",
                "{\"domain_ids\":[\"dom_404\"]}"), 404, 5, "NOT_FOUND");

        JsonNode unchanged = gatehouse.get(path, token).json().path("connection");
        assertThat(unchanged.path("status").asText()).isEqualTo("DRAFT");
        assertThat(unchanged.path("attribute_mapping").path("given_name").asText()).isEqualTo("firstName");
    }

    @Test
    void domainsWhenListedVerifiedAndDeletedThenTheirLifecycle() {
        String org = organization(token);
        String domains = "/api/v1/organizations/" + org + "/domains";
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String first = gatehouse.postJson(domains, token, Map.of("domain", "a-" + suffix + ".test")).json().path("domain").path("id").asText();
        JsonNode second = gatehouse.postJson(domains, token, Map.of("domain", "b-" + suffix + ".test",
                "domain_type", "JIT_PROVISIONING_DOMAIN")).json().path("domain");
        assertThat(second.path("domain_type").asText()).isEqualTo("ALLOWED_EMAIL_DOMAIN");
        assertThat(second.path("verification_status").asText()).isEqualTo("PENDING");

        JsonNode list = gatehouse.get(domains, token).json();
        assertThat(list.path("domains")).hasSize(2);
        assertThat(list.path("page_number").asInt()).isEqualTo(1);
        assertThat(gatehouse.get(domains + "?domain_type=ALLOWED_EMAIL_DOMAIN", token).json().path("domains")).hasSize(1);
        assertThat(gatehouse.get(domains + "?page_size=1&page_number=2", token).json().path("domains").get(0).path("id").asText())
                .isEqualTo(second.path("id").asText());

        TestGatehouse.Response verified = gatehouse.send("PATCH", domains + "/" + first + ":verify", token, null, null);
        assertThat(verified.json().path("verified").asBoolean()).isTrue();
        JsonNode got = gatehouse.get(domains + "/" + first, token).json().path("domain");
        assertThat(got.path("verification_status").asText()).isEqualTo("VERIFIED");
        assertThat(got.path("verification_method").asText()).isEqualTo("ADMIN");
        assertThat(got.path("environment_id").asText()).isEqualTo(gatehouse.environmentId());

        assertThat(gatehouse.delete(domains + "/" + first, token).status()).isEqualTo(200);
        assertThat(gatehouse.get(domains + "/" + first, token).status()).isEqualTo(404);
        assertThat(gatehouse.get(domains, token).json().path("domains")).hasSize(1);
    }

    @Test
    void listingsWhenPagedAndSearchedThenOnlyMatchingConnections() {
        TestGatehouse.TestEnvironment isolated = gatehouse.createIsolatedEnvironment();
        String other = gatehouse.accessToken(isolated);
        String acme = organization(other);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(createConnection(other, acme, i == 2 ? "OIDC" : "SAML", i == 1 ? "ONELOGIN" : "OKTA").path("id").asText());
        }
        JsonNode first = gatehouse.get("/api/v1/organizations/-/connections?page_size=2", other).json();
        assertThat(first.path("total_size").asInt()).isEqualTo(3);
        assertThat(first.path("connections")).extracting(n -> n.path("id").asText()).containsExactly(ids.get(0), ids.get(1));
        JsonNode second = gatehouse.get("/api/v1/organizations/-/connections?page_size=2&page_token=" + first.path("next_page_token").asText(), other).json();
        assertThat(second.path("connections")).extracting(n -> n.path("id").asText()).containsExactly(ids.get(2));
        JsonNode search = gatehouse.get("/api/v1/organizations/-/connections:search?provider=onelogin&connection_type=SAML", other).json();
        assertThat(search.path("connections")).extracting(n -> n.path("id").asText()).containsExactly(ids.get(1));
        assertThat(gatehouse.get("/api/v1/organizations/-/connections:search?status=COMPLETED", other).json().path("connections")).isEmpty();
        assertThat(gatehouse.get("/api/v1/connections", other).json().path("connections")).hasSize(3);
    }

    @Test
    void otherEnvironmentWhenAddressingThisEnvironmentsConnectionsAndDomainsThenNotFound() {
        String org = organization(token);
        String id = createConnection(token, org, "SAML", "OKTA").path("id").asText();
        String name = "cross-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        String domainId = gatehouse.postJson("/api/v1/organizations/" + org + "/domains", token, Map.of("domain", name))
                .json().path("domain").path("id").asText();
        String other = gatehouse.accessToken(gatehouse.createIsolatedEnvironment());

        assertRpcStatus(gatehouse.get(connections(org) + "/" + id, other), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.get("/api/v1/connections/" + id, other), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.patchJson("/api/v1/connections/" + id, other, manualSaml()), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.send("PATCH", "/api/v1/connections/" + id + ":disable", other, null, null), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.delete("/api/v1/connections/" + id, other), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.postJson(connections(org), other, Map.of("type", "SAML", "provider", "OKTA")), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.get("/api/v1/connections?organization_id=" + org, other), 404, 5, "NOT_FOUND");
        assertThat(gatehouse.get("/api/v1/connections?include=all&domain=" + name, other).json().path("connections")).isEmpty();
        assertThat(gatehouse.get("/api/v1/organizations/-/connections", other).json().path("total_size").asInt()).isZero();
        assertRpcStatus(gatehouse.get("/api/v1/organizations/" + org + "/domains/" + domainId, other), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.postJson("/api/v1/organizations/" + org + "/domains", other, Map.of("domain", "x" + name)), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.delete("/api/v1/organizations/" + org + "/domains/" + domainId, other), 404, 5, "NOT_FOUND");
        assertThat(gatehouse.get(connections(org) + "/" + id, token).status()).isEqualTo(200);
        assertThat(gatehouse.get("/api/v1/organizations/" + org + "/domains/" + domainId, token).status()).isEqualTo(200);
    }

    @Test
    void callerWithoutTokenWhenCallingTheConnectionsApiThenUnauthenticated() {
        RpcStatusAssertions.assertUnauthenticated(gatehouse.get("/api/v1/connections", null));
        RpcStatusAssertions.assertUnauthenticated(gatehouse.get("/api/v1/organizations/org_1/domains", "not-a-token"));
    }
}
