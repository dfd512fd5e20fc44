package dev.gatehouse.app;

import static dev.gatehouse.app.RpcStatusAssertions.assertInvalidArgument;
import static dev.gatehouse.app.RpcStatusAssertions.assertRpcStatus;
import static dev.gatehouse.app.RpcStatusAssertions.assertUnauthenticated;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.core.client.AppClient;
import dev.gatehouse.core.environment.EnvironmentType;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ClientService over REST against a whole Gatehouse: the environment client's redirect URIs (each
 * spec-sso §8.1 code), environment clients and their secrets, organization M2M clients, and the
 * client_credentials tokens those clients get from {@code POST /oauth/token}.
 */
class ClientRestTest {
    static TestGatehouse gatehouse;
    static String token;
    static TestGatehouse.TestEnvironment production;
    static String productionToken;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
        token = gatehouse.accessToken();
        var created = gatehouse.wiring.environments.create("prod", "https://prod-" + UUID.randomUUID() + ".gatehouse.invalid",
                EnvironmentType.PRODUCTION, Optional.empty(), Optional.empty());
        gatehouse.wiring.environmentDirectory.invalidate();
        production = new TestGatehouse.TestEnvironment(created.environment(), created.credentials().client().id(),
                created.credentials().plainSecret());
        productionToken = gatehouse.accessToken(production);
    }

    @AfterAll
    static void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    static String organization() {
        return gatehouse.seedOrganization(gatehouse.environmentId(), "Acme " + UUID.randomUUID(), null).id();
    }

    static Map<String, Object> body(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static TestGatehouse.Response put(String path, String bearer, Object json) {
        return gatehouse.send("PUT", path, bearer, "application/json", TestGatehouse.toJson(json));
    }

    static TestGatehouse.Response tokenRequest(String clientId, String secret) {
        return gatehouse.postForm("/oauth/token", Map.of("grant_type", "client_credentials", "client_id", clientId,
                "client_secret", secret), Map.of());
    }

    // ------------------------------------------------------------------ environment client: redirect URIs

    @Test
    void updateClientWhenRedirectUrisValidThenReturnedStoredAndSeenBySignInFlows() {
        String path = "/api/v1/clients/" + TestGatehouse.CLIENT_ID;
        TestGatehouse.Response updated = gatehouse.patchJson(path, token, body(
                "redirect_uris", List.of("https://app.example.com/callback", "http://localhost:3000/callback",
                        "https://*.preview.example.com/callback"),
                "default_redirect_uri", "https://app.example.com/callback",
                "post_logout_redirect_uris", List.of("https://app.example.com/logged-out"),
                "back_channel_logout_uris", List.of("https://app.example.com/backchannel"),
                "initiate_login_uri", "https://app.example.com/login",
                "enforce_pkce", true,
                "access_token_expiry", 900));

        assertThat(updated.status()).as("%s", updated).isEqualTo(200);
        JsonNode client = updated.json().path("client");
        assertThat(client.path("id").asText()).isEqualTo(TestGatehouse.CLIENT_ID);
        assertThat(client.path("redirect_uris")).hasSize(3);
        assertThat(client.path("default_redirect_uri").asText()).isEqualTo("https://app.example.com/callback");
        assertThat(client.path("post_logout_redirect_uris").get(0).asText()).isEqualTo("https://app.example.com/logged-out");
        assertThat(client.path("back_channel_logout_uris").get(0).asText()).isEqualTo("https://app.example.com/backchannel");
        assertThat(client.path("initiate_login_uri").asText()).isEqualTo("https://app.example.com/login");
        assertThat(client.path("enforce_pkce").asBoolean()).isTrue();
        assertThat(client.path("access_token_expiry").asText()).isEqualTo("900");
        assertThat(client.path("secrets")).isNotEmpty();
        client.path("secrets").forEach(s -> assertThat(s.has("plain_secret")).isFalse());
        assertThat(gatehouse.get(path, token).json().path("client")).isEqualTo(client);

        AppClient app = gatehouse.wiring.appClients.find(gatehouse.environmentId(), TestGatehouse.CLIENT_ID).orElseThrow();
        assertThat(app.acceptsRedirectUri("https://app.example.com/callback")).isTrue();
        assertThat(app.acceptsRedirectUri("https://pr-9.preview.example.com/callback")).isTrue();
        assertThat(app.acceptsRedirectUri("https://evil.example.com/callback")).isFalse();
        assertThat(app.acceptsPostLogoutRedirectUri("https://app.example.com/logged-out")).isTrue();
        assertThat(app.enforcePkce()).isTrue();
        assertThat(app.hasSecrets()).isTrue();
        assertThat(gatehouse.wiring.appClients.find(production.id(), TestGatehouse.CLIENT_ID)).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "https://app.example.com/cb?next=1, query_parameters_not_allowed",
            "https://app.example.com/cb#fragment, fragment_not_allowed",
            "https://*.com/cb, invalid_wildcard_usage",
            "https://auth.*.example.com/cb, invalid_wildcard_usage",
            "not-a-uri, invalid_uri_format",
            "https://user@app.example.com/cb, invalid_redirect_uri",
    })
    void updateClientWhenDevelopmentRedirectUriBreaksARuleThen400WithItsCode(String uri, String code) {
        assertRedirectRejected(TestGatehouse.CLIENT_ID, token, body("redirect_uris", List.of(uri)),
                "client.redirect_uris[0]", code);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "http://app.example.com/cb, http_not_allowed",
            "https://localhost:8443/cb, localhost_not_allowed",
            "https://*.example.com/cb, wildcard_not_allowed",
    })
    void updateClientWhenProductionRedirectUriBreaksARuleThen400WithItsCode(String uri, String code) {
        assertRedirectRejected(production.clientId(), productionToken, body("redirect_uris", List.of(uri)),
                "client.redirect_uris[0]", code);
    }

    @Test
    void updateClientWhenTooManyTooLongOrDefaultNotListedThen400WithItsCode() {
        List<String> six = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            six.add("https://app.example.com/cb" + i);
        }
        assertRedirectRejected(TestGatehouse.CLIENT_ID, token, body("redirect_uris", six), "client.redirect_uris",
                "max_redirects_exceeded");
        assertRedirectRejected(TestGatehouse.CLIENT_ID, token,
                body("redirect_uris", List.of("https://app.example.com/" + "a".repeat(240))), "client.redirect_uris[0]",
                "uri_too_long");
        assertRedirectRejected(TestGatehouse.CLIENT_ID, token, body("redirect_uris", List.of("https://app.example.com/a"),
                "default_redirect_uri", "https://app.example.com/b"), "client.default_redirect_uri", "invalid_redirect_uri");
        assertRedirectRejected(production.clientId(), productionToken,
                body("post_logout_redirect_uris", List.of("http://app.example.com/bye")),
                "client.post_logout_redirect_uris[0]", "http_not_allowed");
    }

    static void assertRedirectRejected(String clientId, String bearer, Map<String, Object> update, String field, String code) {
        JsonNode before = gatehouse.get("/api/v1/clients/" + clientId, bearer).json().path("client");
        TestGatehouse.Response response = gatehouse.patchJson("/api/v1/clients/" + clientId, bearer, update);
        JsonNode violations = assertInvalidArgument(response, field);
        JsonNode violation = violations.get(0);
        assertThat(violation.path("field").asText()).isEqualTo(field);
        assertThat(violation.path("constraint").asText()).as("%s", response).isEqualTo(code);
        assertThat(violation.path("description").asText()).startsWith(code + ": ");
        assertThat(response.json().path("message").asText()).startsWith(code + ": ");
        assertThat(gatehouse.get("/api/v1/clients/" + clientId, bearer).json().path("client")).isEqualTo(before);
    }

    // ------------------------------------------------------------------ environment clients and secrets

    @Test
    void environmentClientWhenCreatedRotatedAndDeletedThenItsSecretsWorkAccordingly() {
        TestGatehouse.Response created = gatehouse.postJson("/api/v1/clients", token, body("name", "Web app",
                "client_type", "WEB", "post_logout_redirect_uris", List.of("https://web.example.com/bye")));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        JsonNode client = created.json().path("client");
        String clientId = client.path("id").asText();
        assertThat(clientId).matches("skc_\\d+");
        assertThat(client.path("client_type").asText()).isEqualTo("WEB");
        String firstSecret = client.path("secrets").get(0).path("plain_secret").asText();
        assertThat(firstSecret).startsWith("gsk_");
        assertThat(client.path("secrets").get(0).path("secret_suffix").asText()).isEqualTo(firstSecret.substring(firstSecret.length() - 4));
        assertThat(gatehouse.get("/api/v1/clients/" + clientId, token).body()).doesNotContain(firstSecret);
        assertThat(tokenRequest(clientId, firstSecret).status()).isEqualTo(200);
        assertThat(gatehouse.get("/api/v1/clients?page_size=30", token).json().path("clients").findValuesAsText("id"))
                .contains(clientId, TestGatehouse.CLIENT_ID);

        List<String> secretIds = new ArrayList<>();
        String lastSecret = null;
        for (int i = 0; i < 4; i++) {
            TestGatehouse.Response secret = gatehouse.postJson("/api/v1/clients/" + clientId + "/secrets", token, "{}");
            assertThat(secret.status()).as("%s", secret).isEqualTo(201);
            secretIds.add(secret.json().path("secret").path("id").asText());
            lastSecret = secret.json().path("plain_secret").asText();
        }
        assertRpcStatus(gatehouse.postJson("/api/v1/clients/" + clientId + "/secrets", token, "{}"), 400, 9,
                "FAILED_PRECONDITION");

        TestGatehouse.Response inactive = put("/api/v1/clients/" + clientId + "/secrets/" + secretIds.getLast(), token,
                body("status", "INACTIVE"));
        assertThat(inactive.status()).as("%s", inactive).isEqualTo(200);
        assertThat(inactive.json().path("secret").path("status").asText()).isEqualTo("INACTIVE");
        assertThat(tokenRequest(clientId, lastSecret).status()).isEqualTo(401);
        TestGatehouse.Response active = gatehouse.send("PATCH", "/api/v1/clients/" + clientId + "/secrets/" + secretIds.getLast(),
                token, "application/json", "{\"status\":\"ACTIVE\"}");
        assertThat(active.status()).as("%s", active).isEqualTo(200);
        assertThat(tokenRequest(clientId, lastSecret).status()).isEqualTo(200);

        assertThat(gatehouse.delete("/api/v1/clients/" + clientId + "/secrets/" + secretIds.getLast(), token).status()).isEqualTo(200);
        assertThat(tokenRequest(clientId, lastSecret).status()).isEqualTo(401);
        assertRpcStatus(gatehouse.delete("/api/v1/clients/" + clientId + "/secrets/" + secretIds.getLast(), token), 404, 5,
                "NOT_FOUND");

        String clientToken = gatehouse.accessToken(clientId, firstSecret);
        assertRpcStatus(gatehouse.delete("/api/v1/clients/" + clientId, clientToken), 400, 9, "FAILED_PRECONDITION");
        assertThat(gatehouse.delete("/api/v1/clients/" + clientId, token).status()).isEqualTo(200);
        assertThat(tokenRequest(clientId, firstSecret).status()).isEqualTo(401);
        assertRpcStatus(gatehouse.get("/api/v1/clients/" + clientId, token), 404, 5, "NOT_FOUND");
    }

    @Test
    void environmentClientWhenInputBadThen400() {
        assertInvalidArgument(gatehouse.postJson("/api/v1/clients", token, body("name", "x".repeat(129), "client_type", "WEB")),
                "client.name");
        assertInvalidArgument(gatehouse.postJson("/api/v1/clients", token, body("name", "ok")), "client.client_type");
        assertInvalidArgument(gatehouse.patchJson("/api/v1/clients/" + TestGatehouse.CLIENT_ID, token,
                body("scopes", List.of("admin"))), "client.scopes");
        assertInvalidArgument(gatehouse.patchJson("/api/v1/clients/" + TestGatehouse.CLIENT_ID, token,
                body("access_token_expiry", 5)), "client.access_token_expiry");
        assertInvalidArgument(gatehouse.get("/api/v1/clients?page_size=31", token), "page_size");
        assertInvalidArgument(gatehouse.get("/api/v1/clients/" + "x".repeat(65), token), "client_id");
        assertRpcStatus(gatehouse.get("/api/v1/clients/skc_1", token), 404, 5, "NOT_FOUND");
        assertUnauthenticated(gatehouse.get("/api/v1/clients", null));
    }

    // ------------------------------------------------------------------ organization M2M clients

    @Test
    void organizationClientWhenCreatedThenItsTokensCarryOrganizationScopesAudienceAndClaims() throws Exception {
        String org = organization();
        TestGatehouse.Response created = gatehouse.postJson("/api/v1/organizations/" + org + "/clients", token, body(
                "name", "GitHub Actions", "description", "deploys",
                "scopes", List.of("deploy:applications", "read:deployments"),
                "audience", List.of("https://deploy-api.example.com"),
                "custom_claims", List.of(body("key", "github_repository", "value", "acme/inventory"),
                        body("key", "environment", "value", "production_us")),
                "expiry", 1800));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        JsonNode client = created.json().path("client");
        String clientId = client.path("client_id").asText();
        String secret = created.json().path("plain_secret").asText();
        assertThat(clientId).matches("m2morg_\\d+");
        assertThat(client.path("organization_id").asText()).isEqualTo(org);
        assertThat(client.path("expiry").asText()).isEqualTo("1800");
        assertThat(client.path("secrets")).singleElement().satisfies(s -> {
            assertThat(s.path("secret_suffix").asText()).isEqualTo(secret.substring(secret.length() - 4));
            assertThat(s.has("plain_secret")).isFalse();
        });

        Instant before = Instant.now().minusSeconds(2);
        TestGatehouse.Response issued = tokenRequest(clientId, secret);
        assertThat(issued.status()).as("%s", issued).isEqualTo(200);
        assertThat(issued.json().path("expires_in").asLong()).isEqualTo(1800);
        assertThat(issued.json().path("scope").asText()).isEqualTo("deploy:applications read:deployments");
        JWTClaimsSet claims = verified(issued.json().path("access_token").asText());
        assertThat(claims.getSubject()).isEqualTo(clientId);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(clientId);
        assertThat(claims.getStringClaim("oid")).isEqualTo(org);
        assertThat(claims.getStringListClaim("scopes")).containsExactly("deploy:applications", "read:deployments");
        assertThat(claims.getAudience()).containsExactly("https://deploy-api.example.com");
        assertThat(claims.getStringClaim("github_repository")).isEqualTo("acme/inventory");
        assertThat(claims.getStringClaim("environment")).isEqualTo("production_us");
        assertThat(claims.getIssuer()).isEqualTo(gatehouse.baseUrl());
        assertThat(claims.getIssueTime().toInstant()).isAfter(before);
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(claims.getIssueTime().toInstant().plusSeconds(1800));

        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        TestGatehouse.Response viaBasic = gatehouse.postForm("/oauth/token", Map.of("grant_type", "client_credentials"),
                Map.of("Authorization", "Basic " + basic));
        assertThat(viaBasic.status()).as("%s", viaBasic).isEqualTo(200);
        assertThat(verified(viaBasic.json().path("access_token").asText()).getStringClaim("oid")).isEqualTo(org);
    }

    @Test
    void organizationClientTokenWhenUsedOnTheManagementApiThen401AndAudited() {
        String org = organization();
        JsonNode created = gatehouse.postJson("/api/v1/organizations/" + org + "/clients", token, body("name", "svc")).json();
        String m2mToken = gatehouse.accessToken(created.path("client").path("client_id").asText(),
                created.path("plain_secret").asText());
        long mark = gatehouse.auditMark();

        assertUnauthenticated(gatehouse.get("/api/v1/organizations", m2mToken));
        assertUnauthenticated(gatehouse.get("/api/v1/organizations/" + org + "/clients", m2mToken));
        assertThat(gatehouse.auditSince(mark, "management_api.auth.rejected")).hasSize(2)
                .allSatisfy(r -> assertThat(r.reason().orElse("")).contains("not issued to a management client"));
    }

    @Test
    void organizationClientWhenSecretWrongOrDeletedThenInvalidClientAndAudited() {
        String org = organization();
        JsonNode created = gatehouse.postJson("/api/v1/organizations/" + org + "/clients", token, body("name", "svc")).json();
        String clientId = created.path("client").path("client_id").asText();
        String secret = created.path("plain_secret").asText();
        long mark = gatehouse.auditMark();

        TestGatehouse.Response wrong = tokenRequest(clientId, secret + "x");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("error").asText()).isEqualTo("invalid_client");
        assertThat(tokenRequest("m2morg_404", secret).status()).isEqualTo(401);
        assertThat(gatehouse.auditSince(mark, "oauth.token.rejected")).extracting(r -> r.reason().orElse(""))
                .containsExactly("secret does not match", "unknown client");
        assertThat(gatehouse.auditSince(mark, "oauth.token.rejected").getFirst().environmentId())
                .contains(gatehouse.environmentId());

        List<String> secrets = new ArrayList<>(List.of(secret));
        List<String> secretIds = new ArrayList<>(List.of(created.path("client").path("secrets").get(0).path("id").asText()));
        for (int i = 0; i < 4; i++) {
            TestGatehouse.Response added = gatehouse.postJson(
                    "/api/v1/organizations/" + org + "/clients/" + clientId + "/secrets", token, "{}");
            assertThat(added.status()).as("%s", added).isEqualTo(201);
            secrets.add(added.json().path("plain_secret").asText());
            secretIds.add(added.json().path("secret").path("id").asText());
        }
        assertRpcStatus(gatehouse.postJson("/api/v1/organizations/" + org + "/clients/" + clientId + "/secrets", token, "{}"),
                400, 9, "FAILED_PRECONDITION");
        for (String s : secrets) {
            assertThat(tokenRequest(clientId, s).status()).isEqualTo(200);
        }
        assertThat(gatehouse.delete("/api/v1/organizations/" + org + "/clients/" + clientId + "/secrets/" + secretIds.getFirst(),
                token).status()).isEqualTo(200);
        assertThat(tokenRequest(clientId, secrets.getFirst()).status()).isEqualTo(401);
        assertThat(tokenRequest(clientId, secrets.getLast()).status()).isEqualTo(200);

        assertThat(gatehouse.delete("/api/v1/organizations/" + org + "/clients/" + clientId, token).status()).isEqualTo(200);
        assertThat(tokenRequest(clientId, secrets.getLast()).status()).isEqualTo(401);
        assertRpcStatus(gatehouse.get("/api/v1/organizations/" + org + "/clients/" + clientId, token), 404, 5, "NOT_FOUND");
    }

    @Test
    void organizationClientsWhenListedAndUpdatedThenPagedAndPartiallyChanged() {
        String org = organization();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(gatehouse.postJson("/api/v1/organizations/" + org + "/clients", token, body("name", "svc " + i,
                    "scopes", List.of("read"))).json().path("client").path("client_id").asText());
        }
        JsonNode first = gatehouse.get("/api/v1/organizations/" + org + "/clients?page_size=2", token).json();
        assertThat(first.path("clients").findValuesAsText("client_id")).containsExactly(ids.get(0), ids.get(1));
        assertThat(first.path("total_size").asInt()).isEqualTo(3);
        JsonNode second = gatehouse.get("/api/v1/organizations/" + org + "/clients?page_size=2&page_token="
                + first.path("next_page_token").asText(), token).json();
        assertThat(second.path("clients").findValuesAsText("client_id")).containsExactly(ids.get(2));
        assertThat(second.path("next_page_token").asText()).isEmpty();

        TestGatehouse.Response updated = gatehouse.patchJson("/api/v1/organizations/" + org + "/clients/" + ids.get(0), token,
                body("description", "now described", "audience", List.of("https://api.example.com")));
        assertThat(updated.status()).as("%s", updated).isEqualTo(200);
        JsonNode client = updated.json().path("client");
        assertThat(client.path("name").asText()).isEqualTo("svc 0");
        assertThat(client.path("description").asText()).isEqualTo("now described");
        assertThat(client.path("scopes").get(0).asText()).isEqualTo("read");
        assertThat(client.path("audience").get(0).asText()).isEqualTo("https://api.example.com");
        assertThat(client.path("expiry").asText()).isEqualTo("3600");
    }

    @Test
    void organizationClientWhenInputBadThen400AndNothingCreated() {
        String org = organization();
        String path = "/api/v1/organizations/" + org + "/clients";
        assertInvalidArgument(gatehouse.postJson(path, token, body("name", "x".repeat(129))), "client.name");
        assertInvalidArgument(gatehouse.postJson(path, token, body("name", "ok", "description", "d".repeat(513))),
                "client.description");
        assertInvalidArgument(gatehouse.postJson(path, token, body("name", "ok", "expiry", 30)), "client.expiry");
        assertInvalidArgument(gatehouse.postJson(path, token, body("name", "ok", "scopes", List.of("two words"))),
                "client.scopes[0]");
        assertInvalidArgument(gatehouse.postJson(path, token, body("name", "ok",
                "custom_claims", List.of(body("key", "oid", "value", "org_other")))), "client.custom_claims[0].key");
        assertInvalidArgument(gatehouse.postJson("/api/v1/organizations/acme/clients", token, body("name", "ok")),
                "organization_id");
        assertInvalidArgument(gatehouse.get(path + "/skc_1", token), "client_id");
        assertRpcStatus(gatehouse.postJson("/api/v1/organizations/org_404/clients", token, body("name", "ok")), 404, 5,
                "NOT_FOUND");
        assertThat(gatehouse.get(path, token).json().path("clients")).isEmpty();
    }

    // ------------------------------------------------------------------ isolation

    @Test
    void clientsWhenAnotherEnvironmentAsksThenNotFoundAndUnchanged() {
        String org = organization();
        JsonNode created = gatehouse.postJson("/api/v1/organizations/" + org + "/clients", token, body("name", "svc")).json();
        String clientId = created.path("client").path("client_id").asText();
        String secretId = created.path("client").path("secrets").get(0).path("id").asText();
        String base = "/api/v1/organizations/" + org + "/clients";

        assertRpcStatus(gatehouse.get(base, productionToken), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.get(base + "/" + clientId, productionToken), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.patchJson(base + "/" + clientId, productionToken, body("name", "stolen")), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.postJson(base + "/" + clientId + "/secrets", productionToken, "{}"), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.delete(base + "/" + clientId + "/secrets/" + secretId, productionToken), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.delete(base + "/" + clientId, productionToken), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.postJson(base, productionToken, body("name", "intruder")), 404, 5, "NOT_FOUND");
        String otherOrg = organization();
        assertRpcStatus(gatehouse.get("/api/v1/organizations/" + otherOrg + "/clients/" + clientId, token), 404, 5, "NOT_FOUND");

        assertRpcStatus(gatehouse.get("/api/v1/clients/" + TestGatehouse.CLIENT_ID, productionToken), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.patchJson("/api/v1/clients/" + TestGatehouse.CLIENT_ID, productionToken,
                body("redirect_uris", List.of("https://evil.example.com/cb"))), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.delete("/api/v1/clients/" + TestGatehouse.CLIENT_ID, productionToken), 404, 5, "NOT_FOUND");
        List<String> productionClients = new ArrayList<>();
        gatehouse.get("/api/v1/clients?page_size=30", productionToken).json().path("clients")
                .forEach(c -> productionClients.add(c.path("id").asText()));
        assertThat(productionClients).containsExactly(production.clientId());

        JsonNode after = gatehouse.get(base + "/" + clientId, token).json().path("client");
        assertThat(after.path("name").asText()).isEqualTo("svc");
        assertThat(after.path("secrets")).hasSize(1);
    }

    static JWTClaimsSet verified(String jwt) throws Exception {
        SignedJWT parsed = SignedJWT.parse(jwt);
        JWKSet keys = JWKSet.parse(gatehouse.send("GET", "/keys", Map.of(), HttpRequest.BodyPublishers.noBody()).body());
        assertThat(parsed.verify(new RSASSAVerifier((RSAKey) keys.getKeyByKeyId(parsed.getHeader().getKeyID())))).isTrue();
        return parsed.getJWTClaimsSet();
    }
}
