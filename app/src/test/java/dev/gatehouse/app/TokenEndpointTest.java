package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.wire.WireRequest;
import dev.gatehouse.oauth.key.RsaEngine;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code POST /oauth/token} (client_credentials) and {@code GET /keys}, per RFC 6749 §4.4, §5.1 and §5.2. */
class TokenEndpointTest {
    static final String TOKEN = "/oauth/token";
    static final String AUDIT_TYPE = "oauth.token.rejected";

    static TestGatehouse gatehouse;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
    }

    @AfterAll
    static void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    static Map<String, String> form(String... pairs) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        return form;
    }

    static String basic(String clientId, String secret) {
        String pair = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    static JWKSet keys(URI uri) throws Exception {
        TestGatehouse.Response response = gatehouse.send("GET", uri, Map.of(), HttpRequest.BodyPublishers.noBody());
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(response.header("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return JWKSet.parse(response.body());
    }

    static JWKSet keys() throws Exception {
        return keys(URI.create(gatehouse.baseUrl() + "/keys"));
    }

    static void assertTokenResponse(TestGatehouse.Response response, String expectedScope) {
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(response.header("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(response.header("cache-control")).contains("no-store");
        assertThat(response.header("pragma")).contains("no-cache");
        JsonNode body = response.json();
        assertThat(RpcStatusAssertions.fieldNames(body))
                .containsExactlyInAnyOrder("access_token", "token_type", "expires_in", "scope");
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("expires_in").isNumber()).isTrue();
        assertThat(body.path("expires_in").asLong()).isEqualTo(86_399);
        assertThat(body.path("scope").asText()).isEqualTo(expectedScope);
        assertThat(body.path("access_token").asText().split("\\.")).hasSize(3);
    }

    /** An RFC 6749 §5.2 error: status, no-store, and a JSON body with {@code error} (and a description). */
    static JsonNode assertOAuthError(TestGatehouse.Response response, int status, String error) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        assertThat(response.header("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(response.header("cache-control")).contains("no-store");
        JsonNode body = response.json();
        assertThat(body.path("error").asText()).as("%s", response).isEqualTo(error);
        assertThat(RpcStatusAssertions.fieldNames(body)).isSubsetOf("error", "error_description", "error_uri");
        assertThat(response.body()).doesNotContain(TestGatehouse.CLIENT_SECRET);
        return body;
    }

    // ------------------------------------------------------------------ success

    @Test
    void clientSecretPostIssuesAVerifiableJwt() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        TestGatehouse.Response response = gatehouse.postForm(TOKEN, form("grant_type", "client_credentials",
                "client_id", gatehouse.clientId(), "client_secret", gatehouse.clientSecret()), Map.of());
        assertTokenResponse(response, "openid");
        Instant after = Instant.now().plusSeconds(1);

        SignedJWT jwt = SignedJWT.parse(response.json().path("access_token").asText());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).startsWith("snk_");
        JWK key = keys().getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("kid %s published at /keys", jwt.getHeader().getKeyID()).isNotNull();
        assertThat(key.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(key.isPrivate()).as("/keys publishes public keys only").isFalse();
        assertThat(jwt.verify(new RSASSAVerifier((RSAKey) key))).isTrue();

        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(gatehouse.baseUrl());
        assertThat(claims.getSubject()).isEqualTo(gatehouse.clientId());
        assertThat(claims.getStringClaim("client_id")).isEqualTo(gatehouse.clientId());
        assertThat(claims.getStringListClaim("scopes")).containsExactly("openid");
        assertThat(claims.getJWTID()).matches("^tkn_\\d+$");
        Instant issuedAt = claims.getIssueTime().toInstant();
        assertThat(issuedAt).isBetween(before, after);
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(issuedAt.plusSeconds(86_399));
    }

    @Test
    void theSystemsOpenSslSignsTheTokensOnJava22AndLater() {
        // Java 21 runs the crypto-openssl jar's Java 21 classes, which never bind: Conscrypt signs (D-N1, D-N2).
        RsaEngine expected = Runtime.version().feature() >= 22 ? RsaEngine.OPENSSL : RsaEngine.CONSCRYPT;
        assertThat(gatehouse.wiring.rsaSigners.engine()).isEqualTo(expected);
    }

    @Test
    void clientSecretBasicIssuesAToken() throws Exception {
        TestGatehouse.Response response = gatehouse.postForm(TOKEN, form("grant_type", "client_credentials"),
                Map.of("Authorization", basic(gatehouse.clientId(), gatehouse.clientSecret())));
        assertTokenResponse(response, "openid");
        SignedJWT jwt = SignedJWT.parse(response.json().path("access_token").asText());
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(gatehouse.clientId());
        assertThat(jwt.verify(new RSASSAVerifier((RSAKey) keys().getKeyByKeyId(jwt.getHeader().getKeyID())))).isTrue();
    }

    @Test
    void requestedScopesAreGrantedAndEchoed() throws Exception {
        TestGatehouse.Response response = gatehouse.postForm(TOKEN, form("grant_type", "client_credentials",
                "client_id", gatehouse.clientId(), "client_secret", gatehouse.clientSecret(), "scope", "openid profile email"),
                Map.of());
        assertTokenResponse(response, "openid profile email");
        assertThat(SignedJWT.parse(response.json().path("access_token").asText()).getJWTClaimsSet()
                .getStringListClaim("scopes")).containsExactly("openid", "profile", "email");
    }

    /** D-TP11: the event-loop path serves a client verified moments ago, and answers only once the audit record is stored. */
    @Test
    void aClientVerifiedMomentsAgoIsAnsweredFromMemoryAfterItsAuditRecordIsStored() throws Exception {
        TestGatehouse.TestEnvironment environment = gatehouse.createIsolatedEnvironment();
        String form = "grant_type=client_credentials&client_id=" + environment.clientId() + "&client_secret="
                + URLEncoder.encode(environment.clientSecret(), StandardCharsets.UTF_8);
        WireRequest request = new WireRequest("POST", gatehouse.baseUrl() + TOKEN,
                Map.of("content-type", List.of("application/x-www-form-urlencoded")), form, "127.0.0.1");
        assertThat(gatehouse.wiring.tokenEndpoint.handleFromMemory(request)).as("secret not verified yet").isEmpty();

        long mark = gatehouse.auditMark();
        for (int i = 0; i < 5; i++) {
            TestGatehouse.Response response = gatehouse.postForm(TOKEN, form("grant_type", "client_credentials",
                    "client_id", environment.clientId(), "client_secret", environment.clientSecret()), Map.of());
            assertTokenResponse(response, "openid");
            String jti = SignedJWT.parse(response.json().path("access_token").asText()).getJWTClaimsSet().getJWTID();
            assertThat(gatehouse.auditSince(mark, "oauth.token.issued")).as("stored before the answer (request %d)", i)
                    .anySatisfy(row -> assertThat(row.attributes()).contains(jti));
        }
        assertThat(gatehouse.auditSince(mark, "oauth.token.issued")).hasSize(5)
                .allSatisfy(row -> assertThat(row.environmentId()).contains(environment.id()));

        var fromMemory = gatehouse.wiring.tokenEndpoint.handleFromMemory(request);
        assertThat(fromMemory).as("verified moments ago").isPresent();
        var answer = fromMemory.get().get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"access_token\"").doesNotContain(environment.clientSecret());
        assertThat(gatehouse.auditSince(mark, "oauth.token.issued")).hasSize(6);

        WireRequest wrongSecret = new WireRequest("POST", gatehouse.baseUrl() + TOKEN,
                Map.of("content-type", List.of("application/x-www-form-urlencoded")), form + "x", "127.0.0.1");
        assertThat(gatehouse.wiring.tokenEndpoint.handleFromMemory(wrongSecret))
                .as("anything but a remembered secret goes to the blocking path, which audits the refusal").isEmpty();
    }

    @Test
    void everyTokenHasItsOwnJti() throws Exception {
        String first = SignedJWT.parse(gatehouse.accessToken()).getJWTClaimsSet().getJWTID();
        String second = SignedJWT.parse(gatehouse.accessToken()).getJWTClaimsSet().getJWTID();
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void issuedTokenWorksOnTheManagementApi() {
        TestGatehouse.Response response = gatehouse.get("/api/v1/organizations", gatehouse.accessToken());
        assertThat(response.status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ errors (RFC 6749 §5.2)

    static Stream<Arguments> rejectedRequests() {
        String id = TestGatehouse.CLIENT_ID;
        String secret = TestGatehouse.CLIENT_SECRET;
        return Stream.of(
                Arguments.of("wrong secret (post)", form("grant_type", "client_credentials", "client_id", id,
                        "client_secret", secret + "x"), null, 401, "invalid_client"),
                Arguments.of("unknown client (post)", form("grant_type", "client_credentials", "client_id", "skc_00000000000000042",
                        "client_secret", secret), null, 401, "invalid_client"),
                Arguments.of("no client authentication", form("grant_type", "client_credentials"), null, 401, "invalid_client"),
                Arguments.of("client_id without secret", form("grant_type", "client_credentials", "client_id", id),
                        null, 401, "invalid_client"),
                Arguments.of("missing grant_type", form("client_id", id, "client_secret", secret), null, 400, "invalid_request"),
                Arguments.of("unsupported grant_type", form("grant_type", "urn:example:teleport", "client_id", id,
                        "client_secret", secret), null, 400, "unsupported_grant_type"),
                Arguments.of("password grant for a management client", form("grant_type", "password", "username", "u",
                        "password", "p", "client_id", id, "client_secret", secret), null, 400, "unauthorized_client"),
                Arguments.of("scope not allowed", form("grant_type", "client_credentials", "client_id", id,
                        "client_secret", secret, "scope", "openid admin"), null, 400, "invalid_scope"),
                Arguments.of("wrong secret (basic)", form("grant_type", "client_credentials"), basic(id, secret + "x"),
                        401, "invalid_client"));
        }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedRequests")
    void rejectionsFollowRfc6749AndAreAudited(String what, Map<String, String> form, String authorization,
                                              int status, String error) {
        long mark = gatehouse.auditMark();
        Map<String, String> headers = authorization == null ? Map.of() : Map.of("Authorization", authorization);
        TestGatehouse.Response response = gatehouse.postForm(TOKEN, form, headers);

        assertOAuthError(response, status, error);
        if (authorization != null && authorization.startsWith("Basic ")) {
            assertThat(response.header("www-authenticate")).as("RFC 6749 §5.2: challenge for Basic")
                    .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Basic"));
        } else {
            assertThat(response.header("www-authenticate")).isEmpty();
        }
        List<TestGatehouse.AuditRow> audited = gatehouse.auditSince(mark, AUDIT_TYPE);
        assertThat(audited).as("audit records of %s", what).hasSize(1);
        assertThat(audited.getFirst().outcome()).isEqualTo("FAILURE");
        assertThat(audited.getFirst().attributes()).contains("\"error\":\"" + error + "\"");
        assertThat(audited.getFirst().reason()).isPresent();
        assertThat(audited.getFirst().toString()).doesNotContain(TestGatehouse.CLIENT_SECRET);
    }

    @Test
    void rejectionsOfAKnownClientAreInItsEnvironmentsAuditTrail() {
        Instant before = Instant.now().minusSeconds(1);
        assertOAuthError(gatehouse.postForm(TOKEN, form("grant_type", "client_credentials", "client_id", gatehouse.clientId(),
                "client_secret", gatehouse.clientSecret(), "scope", "superuser"), Map.of()), 400, "invalid_scope");
        List<AuditRecord> records = gatehouse.audit(gatehouse.environmentId(), AUDIT_TYPE);
        assertThat(records).anySatisfy(record -> {
            assertThat(record.time()).isAfter(before);
            assertThat(record.actor()).contains(gatehouse.clientId());
            assertThat(record.attributes()).containsEntry("error", "invalid_scope");
        });
    }

    @Test
    void getIsRefused() {
        long mark = gatehouse.auditMark();
        TestGatehouse.Response response = gatehouse.send("GET", TOKEN + "?grant_type=client_credentials&client_id="
                + gatehouse.clientId() + "&client_secret=" + gatehouse.clientSecret(), null, null, null);
        assertThat(response.status()).isBetween(400, 499);
        assertThat(response.json().path("error").asText()).isEqualTo("invalid_request");
        assertThat(response.body()).doesNotContain("access_token");
        assertThat(gatehouse.auditSince(mark, "oauth.token.rejected")).hasSize(1);
    }

    @Test
    void nonFormBodiesAreInvalidRequests() {
        for (String contentType : List.of("application/json", "text/plain")) {
            long mark = gatehouse.auditMark();
            TestGatehouse.Response response = gatehouse.send("POST", TOKEN, null, contentType,
                    "{\"grant_type\":\"client_credentials\",\"client_id\":\"" + gatehouse.clientId()
                            + "\",\"client_secret\":\"" + gatehouse.clientSecret() + "\"}");
            assertOAuthError(response, 400, "invalid_request");
            assertThat(gatehouse.auditSince(mark, AUDIT_TYPE)).hasSize(1);
        }
    }

    @Test
    void oversizedBodyIsRefusedWithoutA5xx() {
        TestGatehouse.Response response = gatehouse.send("POST", TOKEN,
                Map.of("Content-Type", "application/x-www-form-urlencoded"),
                HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&pad=" + "x".repeat(64 * 1024)));
        assertOAuthError(response, 400, "invalid_request");
    }

    // ------------------------------------------------------------------ key rotation

    @Test
    void rotationPublishesBothKeysAndOldTokensKeepWorking() throws Exception {
        // Its own environment (reached at http://localhost:<port>), so the rotation affects no other test.
        TestGatehouse.TestEnvironment environment = gatehouse.createEnvironment("rotation",
                "http://localhost:" + gatehouse.port());
        URI keysUri = URI.create("http://localhost:" + gatehouse.port() + "/keys");
        String oldToken = gatehouse.accessToken(environment);
        String oldKid = SignedJWT.parse(oldToken).getHeader().getKeyID();
        assertThat(keys(keysUri).getKeys()).extracting(JWK::getKeyID).containsExactly(oldKid);

        String pendingKid = gatehouse.wiring.signingKeys.rotate(environment.id()).kid();
        gatehouse.wiring.keyRing.invalidate(environment.id());
        assertThat(keys(keysUri).getKeys()).as("a new key is published before it signs").extracting(JWK::getKeyID)
                .containsExactlyInAnyOrder(oldKid, pendingKid);
        assertThat(SignedJWT.parse(gatehouse.accessToken(environment)).getHeader().getKeyID()).isEqualTo(oldKid);

        String newKid = gatehouse.wiring.signingKeys.rotate(environment.id(), java.time.Duration.ZERO).kid();
        gatehouse.wiring.keyRing.invalidate(environment.id());

        assertThat(keys(keysUri).getKeys()).extracting(JWK::getKeyID).containsExactlyInAnyOrder(oldKid, pendingKid, newKid);
        String newToken = gatehouse.accessToken(environment);
        SignedJWT newJwt = SignedJWT.parse(newToken);
        assertThat(newJwt.getHeader().getKeyID()).isEqualTo(newKid);
        assertThat(newJwt.getJWTClaimsSet().getIssuer()).isEqualTo(environment.issuer());
        assertThat(newJwt.verify(new RSASSAVerifier((RSAKey) keys(keysUri).getKeyByKeyId(newKid)))).isTrue();
        SignedJWT oldJwt = SignedJWT.parse(oldToken);
        assertThat(oldJwt.verify(new RSASSAVerifier((RSAKey) keys(keysUri).getKeyByKeyId(oldKid)))).isTrue();

        for (String token : List.of(oldToken, newToken)) {
            TestGatehouse.Response response = gatehouse.get("/api/v1/organizations", token);
            assertThat(response.status()).as("%s", response).isEqualTo(200);
        }
        // The bootstrap environment's keys are untouched.
        assertThat(keys().getKeys()).extracting(JWK::getKeyID).doesNotContain(oldKid, pendingKid, newKid).hasSize(1);
    }

    @Test
    void keysAnswerOnTheWellKnownPathToo() throws Exception {
        JWKSet keys = keys();
        JWKSet wellKnown = keys(URI.create(gatehouse.baseUrl() + "/.well-known/jwks.json"));
        assertThat(wellKnown.getKeys()).extracting(JWK::getKeyID)
                .containsExactlyElementsOf(keys.getKeys().stream().map(JWK::getKeyID).toList());
        assertThat(keys.getKeys()).allSatisfy(key -> {
            assertThat(key).isInstanceOf(RSAKey.class);
            assertThat(key.isPrivate()).isFalse();
        });
        Optional<String> cacheControl = gatehouse.get("/keys", null).header("cache-control");
        assertThat(cacheControl).hasValueSatisfying(value -> assertThat(value).contains("max-age"));
    }
}
