package dev.gatehouse.app;

import static dev.gatehouse.app.RpcStatusAssertions.assertUnauthenticated;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.oauth.endpoint.TokenEndpoint;
import dev.gatehouse.oauth.token.AccessTokenIssuer;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The management API refuses every call that lacks a valid Bearer token of one of the
 * environment's management clients: 401, exactly the rpcStatus Scalekit answers, nothing written,
 * and a {@code management_api.auth.rejected} audit record.
 */
class ManagementAuthTest {
    static final String ORGS = "/api/v1/organizations";
    static final String AUDIT_TYPE = "management_api.auth.rejected";

    static TestGatehouse gatehouse;
    static String token;
    static JsonNode existing;
    static String existingId;
    static String existingExternalId;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
        token = gatehouse.accessToken();
        existingExternalId = "auth-existing";
        TestGatehouse.Response created = gatehouse.postJson(ORGS, token,
                Map.of("display_name", "Guarded", "external_id", existingExternalId, "metadata", Map.of("key", "value")));
        assertThat(created.status()).isEqualTo(201);
        existing = created.json().path("organization");
        existingId = existing.path("id").asText();
    }

    @AfterAll
    static void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    /** One REST call of each endpoint, and the gRPC method it reaches. */
    record Call(String method, String path, String body, String rpc) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static List<Call> everyEndpoint() {
        String org = ORGS + "/" + existingId;
        return List.of(
                new Call("POST", ORGS, "{\"display_name\":\"Intruder\",\"external_id\":\"intruder\"}", "CreateOrganization"),
                new Call("GET", org, null, "GetOrganization"),
                new Call("GET", ORGS + ":external/" + existingExternalId, null, "GetOrganizationByExternalId"),
                new Call("GET", ORGS, null, "ListOrganization"),
                new Call("GET", ORGS + "?page_size=100", null, "ListOrganization"),
                new Call("GET", ORGS + ":search?query=guarded", null, "SearchOrganization"),
                new Call("PATCH", org, "{\"display_name\":\"Hijacked\"}", "UpdateOrganization"),
                new Call("DELETE", org, null, "DeleteOrganization"),
                new Call("PATCH", org + "/settings", "{\"features\":[{\"name\":\"sso\",\"enabled\":true}]}",
                        "UpdateOrganizationSettings"),
                new Call("GET", org + "/settings/usermanagement", null, "GetOrganizationUserManagementSetting"),
                new Call("PATCH", org + "/settings/usermanagement", "{\"settings\":{\"max_allowed_users\":1}}",
                        "UpsertUserManagementSettings"));
    }

    /** Authorization header values that must not get in, and the audit reason each one leaves. */
    static Stream<Arguments> refusedCredentials() throws Exception {
        return Stream.of(
                Arguments.of("no Authorization header", null, "missing bearer token"),
                Arguments.of("Basic credentials", "Basic " + Base64.getEncoder().encodeToString(
                        (TestGatehouse.CLIENT_ID + ":" + TestGatehouse.CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)),
                        "not a bearer token"),
                Arguments.of("the client secret as bearer", "Bearer " + TestGatehouse.CLIENT_SECRET, "token is not a signed JWT"),
                Arguments.of("garbage", "Bearer garbage", "token is not a signed JWT"),
                Arguments.of("expired token", "Bearer " + expiredToken(), "token expired"),
                Arguments.of("token signed by a foreign key", "Bearer " + foreignKeyToken(gatehouse.baseUrl()), "unknown signing key"),
                Arguments.of("token of a foreign issuer", "Bearer " + foreignKeyToken("https://issuer.example.com"), "unknown issuer"),
                Arguments.of("HS256 token", "Bearer " + hmacToken(), "unexpected signing algorithm"),
                Arguments.of("tampered token", "Bearer " + tamperedToken(), "bad signature"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedCredentials")
    void everyEndpointRefusesWith401AndAudits(String what, String authorization, String auditReason) {
        long orgsBefore = totalSize();
        for (Call call : everyEndpoint()) {
            long mark = gatehouse.auditMark();
            Map<String, String> headers = new LinkedHashMap<>();
            if (authorization != null) {
                headers.put("Authorization", authorization);
            }
            if (call.body() != null) {
                headers.put("Content-Type", "application/json");
            }
            TestGatehouse.Response response = gatehouse.send(call.method(), call.path(), headers, call.body() == null
                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(call.body()));

            assertUnauthenticated(response);
            List<TestGatehouse.AuditRow> audited = gatehouse.auditSince(mark, AUDIT_TYPE);
            assertThat(audited).as("audit records of %s with %s", call, what).hasSize(1);
            TestGatehouse.AuditRow row = audited.getFirst();
            assertThat(row.outcome()).isEqualTo("FAILURE");
            assertThat(row.reason()).contains(auditReason);
            assertThat(row.remoteAddress()).isPresent();
            assertThat(row.attributes()).contains("scalekit.v1.organizations.OrganizationService/" + call.rpc());
            assertThat(row.toString()).as("the audit record never holds the credential")
                    .doesNotContain(TestGatehouse.CLIENT_SECRET);
        }
        // Nothing was written.
        assertThat(totalSize()).isEqualTo(orgsBefore);
        assertThat(gatehouse.get(ORGS + "/" + existingId, token).json().path("organization")).isEqualTo(existing);
        assertThat(gatehouse.get(ORGS + "/" + existingId + "/settings/usermanagement", token).json()
                .path("settings").has("max_allowed_users")).isFalse();
    }

    @Test
    void tokenOfAnotherEnvironmentsClientIsRefusedAndAuditedInTheTokensEnvironment() throws Exception {
        TestGatehouse.TestEnvironment other = gatehouse.createIsolatedEnvironment();
        // Signed with this environment's real key, but for a client that belongs to another environment.
        AccessTokenIssuer issuer = new AccessTokenIssuer(gatehouse.wiring.keyRing, new IdGenerator(Clock.systemUTC(), 7),
                Clock.systemUTC(), gatehouse.wiring.signingPool);
        for (String clientId : List.of(other.clientId(), "skc_00000000000000000")) {
            String forged = issuer.issueClientToken(gatehouse.environment, clientId, List.of("openid"),
                    TokenEndpoint.ENVIRONMENT_TOKEN_LIFETIME).value();
            Instant before = Instant.now().minusSeconds(1);
            TestGatehouse.Response response = gatehouse.get(ORGS + "/" + existingId, forged);
            assertUnauthenticated(response);
            List<AuditRecord> records = gatehouse.audit(gatehouse.environmentId(), AUDIT_TYPE);
            assertThat(records).anySatisfy(record -> {
                assertThat(record.time()).isAfter(before);
                assertThat(record.environmentId()).contains(gatehouse.environmentId());
                assertThat(record.outcome()).isEqualTo(AuditRecord.Outcome.FAILURE);
                assertThat(record.reason()).hasValueSatisfying(r -> assertThat(r).contains("not issued to a management client"));
                assertThat(record.attributes()).containsEntry("method",
                        "scalekit.v1.organizations.OrganizationService/GetOrganization");
            });
        }
    }

    @Test
    void validTokenIsAdmittedWithoutAnAuditRejection() {
        long mark = gatehouse.auditMark();
        for (Call call : everyEndpoint()) {
            if (call.method().equals("GET")) {
                TestGatehouse.Response response = gatehouse.get(call.path(), token);
                assertThat(response.status()).as("%s: %s", call, response).isEqualTo(200);
            }
        }
        assertThat(gatehouse.auditSince(mark, AUDIT_TYPE)).isEmpty();
    }

    @Test
    void bearerSchemeIsCaseInsensitive() {
        TestGatehouse.Response response = gatehouse.send("GET", ORGS + "/" + existingId,
                Map.of("Authorization", "bearer " + token), HttpRequest.BodyPublishers.noBody());
        assertThat(response.status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ forged tokens

    private static long totalSize() {
        return gatehouse.get(ORGS + "?page_size=1", token).json().path("total_size").asLong();
    }

    /** A token the server itself signed, for its bootstrap client, that expired a day ago. */
    private static String expiredToken() {
        Clock twoDaysAgo = Clock.offset(Clock.systemUTC(), Duration.ofDays(-2));
        AccessTokenIssuer issuer = new AccessTokenIssuer(gatehouse.wiring.keyRing, new IdGenerator(twoDaysAgo, 5), twoDaysAgo,
                gatehouse.wiring.signingPool);
        return issuer.issueClientToken(gatehouse.environment, TestGatehouse.CLIENT_ID, List.of("openid"),
                TokenEndpoint.ENVIRONMENT_TOKEN_LIFETIME).value();
    }

    private static JWTClaimsSet claims(String issuer) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(TestGatehouse.CLIENT_ID)
                .claim("client_id", TestGatehouse.CLIENT_ID)
                .claim("scopes", List.of("openid"))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)))
                .jwtID("tkn_1")
                .build();
    }

    /** Well-formed and unexpired, but signed by a key this server never had. */
    private static String foreignKeyToken(String issuer) throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("snk_10000000000000000").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims(issuer));
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String hmacToken() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                claims(gatehouse.baseUrl()));
        jwt.sign(new MACSigner("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)));
        return jwt.serialize();
    }

    /** A real token whose payload was changed after signing. */
    private static String tamperedToken() throws Exception {
        String[] parts = gatehouse.accessToken().split("\\.");
        SignedJWT original = SignedJWT.parse(String.join(".", parts));
        Map<String, Object> claims = new LinkedHashMap<>(original.getJWTClaimsSet().toJSONObject());
        claims.put("scopes", List.of("openid", "admin"));
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(TestGatehouse.JSON.writeValueAsBytes(claims));
        return parts[0] + "." + payload + "." + parts[2];
    }
}
