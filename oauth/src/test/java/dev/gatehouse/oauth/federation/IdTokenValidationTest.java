package dev.gatehouse.oauth.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.core.connection.TokenAuthMethod;
import dev.gatehouse.core.webhook.DestinationPolicy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ID tokens an OIDC connection's IdP might send, checked by {@link OidcCodeFlow#validateIdToken} against a JWKS
 * served locally: only a token signed by the IdP's key, for this client, from this issuer, unexpired, with the
 * login's nonce passes; everything else is {@code invalid_id_token}.
 */
class IdTokenValidationTest {
    private static final String ISSUER = "https://idp.example.test/realms/acme";
    private static final String CLIENT = "gatehouse";
    private static final String NONCE = "nonce-of-this-login";
    private static HttpServer jwks;
    private static RSAKey idpKey;
    private static RSAKey otherKey;
    private static OidcCodeFlow flow;
    private static OidcClient client;

    @BeforeAll
    static void start() throws Exception {
        idpKey = new RSAKeyGenerator(2048).keyID("idp-1").generate();
        otherKey = new RSAKeyGenerator(2048).keyID("idp-1").generate();
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = new JWKSet(idpKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        flow = new OidcCodeFlow(new ProviderHttp(new DestinationPolicy(true)));
        client = new OidcClient(CLIENT, "secret", TokenAuthMethod.CLIENT_SECRET_POST, List.of("openid"), true,
                new OidcEndpoints(Optional.of(ISSUER), ISSUER + "/auth", ISSUER + "/token", Optional.empty(),
                        Optional.of("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks")),
                "https://gatehouse.example.test/sso/v1/oidc/conn_1/callback");
    }

    @AfterAll
    static void stop() {
        jwks.stop(0);
    }

    private static JWTClaimsSet.Builder claims() {
        Date now = new Date();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(CLIENT).subject("kc-user-1")
                .issueTime(now).expirationTime(new Date(now.getTime() + 300_000)).claim("nonce", NONCE)
                .claim("email", "ada@acme.test");
    }

    private static SignedJWT signed(JWTClaimsSet claims, RSAKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt;
    }

    private static void assertRejected(JWT token, String step) {
        assertThatThrownBy(() -> flow.validateIdToken(client, token, NONCE))
                .isInstanceOfSatisfying(FederationFailure.class, f -> {
                    assertThat(f.errorCode()).isEqualTo("invalid_id_token");
                    assertThat(f.reason()).startsWith("ID token rejected");
                    assertThat(f.step()).as("the failed step of %s", f.reason()).isEqualTo(step);
                });
    }

    @Test
    void aTokenSignedByTheIdpForThisClientAndLoginIsAccepted() throws Exception {
        assertThat(flow.validateIdToken(client, signed(claims().build(), idpKey), NONCE))
                .containsEntry("sub", "kc-user-1").containsEntry("email", "ada@acme.test");
    }

    @Test
    void aTamperedPayloadOrAnotherKeysSignatureIsRejected() throws Exception {
        SignedJWT genuine = signed(claims().build(), idpKey);
        Base64URL[] parts = com.nimbusds.jose.JOSEObject.split(genuine.serialize());
        Base64URL forgedPayload = Base64URL.encode(claims().subject("kc-admin").build().toString());
        assertRejected(new SignedJWT(parts[0], forgedPayload, parts[2]), "id_token_signature");
        assertRejected(signed(claims().build(), otherKey), "id_token_signature");
    }

    @Test
    void theWrongIssuerAudienceNonceOrAnExpiredTokenIsRejected() throws Exception {
        assertRejected(signed(claims().issuer("https://evil.example.test").build(), idpKey), "issuer");
        assertRejected(signed(claims().audience("another-client").build(), idpKey), "audience");
        assertRejected(signed(claims().claim("nonce", "nonce-of-another-login").build(), idpKey), "nonce");
        assertRejected(signed(claims().expirationTime(new Date(System.currentTimeMillis() - 600_000))
                .issueTime(new Date(System.currentTimeMillis() - 900_000)).build(), idpKey), "expiry");
    }

    @Test
    void unsignedAndHmacTokensAreRejected() throws Exception {
        assertRejected(new PlainJWT(claims().build()), "id_token_signature");
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
        hmac.sign(new MACSigner("secret-secret-secret-secret-secret-secret".getBytes(StandardCharsets.UTF_8)));
        assertRejected(hmac, "id_token_signature");
    }

    @Test
    void theNonceAndVerifierAreDerivedPerLoginAndConnection() {
        FederationSecrets secrets = FederationSecrets.fromMasterKey(new byte[32]);
        assertThat(secrets.codeVerifier("env_1", "conn_1", "login_a")).hasSize(43)
                .isEqualTo(secrets.codeVerifier("env_1", "conn_1", "login_a"))
                .isNotEqualTo(secrets.codeVerifier("env_1", "conn_1", "login_b"))
                .isNotEqualTo(secrets.codeVerifier("env_1", "conn_2", "login_a"))
                .isNotEqualTo(secrets.nonce("env_1", "conn_1", "login_a"));
        assertThat(FederationSecrets.fromMasterKey(new byte[] {1, 2, 3}).nonce("env_1", "conn_1", "login_a"))
                .isNotEqualTo(secrets.nonce("env_1", "conn_1", "login_a"));
    }
}
