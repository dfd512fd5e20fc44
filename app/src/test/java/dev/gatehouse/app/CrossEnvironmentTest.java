package dev.gatehouse.app;

import static dev.gatehouse.app.RpcStatusAssertions.assertRpcStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two environments on one server: A is the bootstrap environment (issuer http://127.0.0.1:port),
 * B has issuer http://localhost:port. Each environment's data is invisible to the other's tokens.
 */
class CrossEnvironmentTest {
    static final String ORGS = "/api/v1/organizations";

    static TestGatehouse gatehouse;
    static TestGatehouse.TestEnvironment environmentB;
    static String tokenA;
    static String tokenB;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
        environmentB = gatehouse.createEnvironment("environment-b", "http://localhost:" + gatehouse.port());
        tokenA = gatehouse.accessToken();
        tokenB = gatehouse.accessToken(environmentB);
    }

    @AfterAll
    static void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    static List<String> listAll(String token) {
        List<String> ids = new ArrayList<>();
        String pageToken = "";
        do {
            JsonNode page = gatehouse.get(ORGS + "?page_size=100&page_token=" + pageToken, token).json();
            page.path("organizations").forEach(o -> ids.add(o.path("id").asText()));
            pageToken = page.path("next_page_token").asText();
        } while (!pageToken.isEmpty());
        return ids;
    }

    @Test
    void tokensCarryTheirEnvironmentsIssuer() throws Exception {
        assertThat(SignedJWT.parse(tokenA).getJWTClaimsSet().getIssuer()).isEqualTo(gatehouse.baseUrl());
        assertThat(SignedJWT.parse(tokenB).getJWTClaimsSet().getIssuer()).isEqualTo("http://localhost:" + gatehouse.port());
    }

    @Test
    void organizationOfAIsInvisibleToB() {
        String externalId = unique("a-only");
        TestGatehouse.Response created = gatehouse.postJson(ORGS, tokenA, Map.of("display_name", "Only In A",
                "external_id", externalId));
        assertThat(created.status()).isEqualTo(201);
        JsonNode organization = created.json().path("organization");
        String id = organization.path("id").asText();
        String path = ORGS + "/" + id;

        assertRpcStatus(gatehouse.get(path, tokenB), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.get(ORGS + ":external/" + externalId, tokenB), 404, 5, "NOT_FOUND");
        assertThat(listAll(tokenB)).doesNotContain(id);
        assertThat(gatehouse.get(ORGS + "?external_id=" + externalId, tokenB).json().path("organizations")).isEmpty();
        assertThat(gatehouse.get(ORGS + ":search?query=" + externalId, tokenB).json().path("organizations")).isEmpty();

        // B can't change or delete it either.
        assertRpcStatus(gatehouse.patchJson(path, tokenB, Map.of("display_name", "Taken Over")), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.patchJson(path + "/settings", tokenB,
                Map.of("features", List.of(Map.of("name", "sso", "enabled", true)))), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.get(path + "/settings/usermanagement", tokenB), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.patchJson(path + "/settings/usermanagement", tokenB,
                Map.of("settings", Map.of("max_allowed_users", 1))), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.delete(path, tokenB), 404, 5, "NOT_FOUND");

        // A still sees it, unchanged.
        TestGatehouse.Response fromA = gatehouse.get(path, tokenA);
        assertThat(fromA.status()).isEqualTo(200);
        assertThat(fromA.json().path("organization")).isEqualTo(organization);
        assertThat(listAll(tokenA)).contains(id);
    }

    @Test
    void organizationOfBIsInvisibleToA() {
        String id = gatehouse.postJson(ORGS, tokenB, Map.of("display_name", "Only In B")).json()
                .path("organization").path("id").asText();
        assertRpcStatus(gatehouse.get(ORGS + "/" + id, tokenA), 404, 5, "NOT_FOUND");
        assertThat(listAll(tokenA)).doesNotContain(id);
        assertThat(listAll(tokenB)).contains(id);
    }

    @Test
    void externalIdsAreUniquePerEnvironmentOnly() {
        String externalId = unique("shared");
        String inA = gatehouse.postJson(ORGS, tokenA, Map.of("display_name", "A", "external_id", externalId)).json()
                .path("organization").path("id").asText();
        TestGatehouse.Response inB = gatehouse.postJson(ORGS, tokenB, Map.of("display_name", "B", "external_id", externalId));
        assertThat(inB.status()).as("%s", inB).isEqualTo(201);
        String idB = inB.json().path("organization").path("id").asText();
        assertThat(idB).isNotEqualTo(inA);
        assertThat(gatehouse.get(ORGS + ":external/" + externalId, tokenA).json().path("organization").path("id").asText())
                .isEqualTo(inA);
        assertThat(gatehouse.get(ORGS + ":external/" + externalId, tokenB).json().path("organization").path("id").asText())
                .isEqualTo(idB);
    }

    @Test
    void totalSizeCountsOnlyTheCallersEnvironment() {
        long before = gatehouse.get(ORGS, tokenB).json().path("total_size").asLong();
        gatehouse.postJson(ORGS, tokenA, Map.of("display_name", "Counted In A"));
        assertThat(gatehouse.get(ORGS, tokenB).json().path("total_size").asLong()).isEqualTo(before);
    }

    @Test
    void keysAreResolvedByHost() throws Exception {
        JWKSet keysA = JWKSet.parse(gatehouse.get("/keys", null).body());
        JWKSet keysB = JWKSet.parse(gatehouse.send("GET", URI.create("http://localhost:" + gatehouse.port() + "/keys"),
                Map.of(), HttpRequest.BodyPublishers.noBody()).body());
        String kidA = SignedJWT.parse(tokenA).getHeader().getKeyID();
        String kidB = SignedJWT.parse(tokenB).getHeader().getKeyID();
        assertThat(keysA.getKeys()).extracting(JWK::getKeyID).containsExactly(kidA);
        assertThat(keysB.getKeys()).extracting(JWK::getKeyID).containsExactly(kidB);
    }

    @Test
    void clientOfBCannotUseTheBootstrapClientsSecret() {
        TestGatehouse.Response response = gatehouse.postForm("/oauth/token", Map.of("grant_type", "client_credentials",
                "client_id", environmentB.clientId(), "client_secret", gatehouse.clientSecret()), Map.of());
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().path("error").asText()).isEqualTo("invalid_client");
    }
}
