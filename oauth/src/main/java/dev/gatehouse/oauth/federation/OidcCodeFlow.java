package dev.gatehouse.oauth.federation;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import dev.gatehouse.core.webhook.PinnedHttp;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.gatehouse.core.connection.TokenAuthMethod;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The relying party's half of the OAuth 2.0 / OIDC authorization code flow, with Nimbus: the authorization URL
 * (PKCE S256, {@code state}, {@code nonce}), the token exchange (client_secret_post or _basic), ID token validation
 * (signature by the provider's JWKS, issuer, audience, expiry, nonce) and the userinfo call. Each step fails with
 * the seed's code: {@code failed_to_exchange_token}, {@code invalid_id_token}, {@code user_info_retrieve_failed}.
 */
public final class OidcCodeFlow {
    /** Signature algorithms accepted on ID tokens: never {@code none}, never HMAC with the client secret. */
    static final Set<JWSAlgorithm> ID_TOKEN_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.ES384);
    /** ID-token claims userinfo may not override. */
    static final Set<String> PROTECTED_CLAIMS = Set.of("iss", "aud", "exp", "iat", "nbf", "nonce", "azp", "sub");
    private static final int MAX_CLOCK_SKEW_SECONDS = 120;
    private static final int MAX_JWKS_BYTES = 512 * 1024;

    private final ProviderHttp http;
    private final ConcurrentHashMap<String, JWKSource<SecurityContext>> keySources = new ConcurrentHashMap<>();

    /** What the provider vouched for: the ID token's claims (when it sent one) merged with userinfo's. */
    public record Claims(Map<String, Object> values) {
        public Claims {
            values = Map.copyOf(values);
        }
    }

    public OidcCodeFlow(ProviderHttp http) {
        this.http = http;
    }

    public String authorizationUrl(OidcClient client, String state, Optional<String> nonce, Optional<String> codeVerifier) {
        if (nonce.isPresent()) {
            AuthenticationRequest.Builder request = new AuthenticationRequest.Builder(ResponseType.CODE,
                    new Scope(client.scopes().toArray(String[]::new)), new ClientID(client.clientId()),
                    URI.create(client.redirectUri()))
                    .endpointURI(URI.create(client.endpoints().authorizationEndpoint()))
                    .state(new State(state)).nonce(new Nonce(nonce.get()));
            codeVerifier.ifPresent(v -> request.codeChallenge(new CodeVerifier(v), CodeChallengeMethod.S256));
            return request.build().toURI().toString();
        }
        com.nimbusds.oauth2.sdk.AuthorizationRequest.Builder request = new com.nimbusds.oauth2.sdk.AuthorizationRequest.Builder(
                ResponseType.CODE, new ClientID(client.clientId()))
                .scope(new Scope(client.scopes().toArray(String[]::new))).redirectionURI(URI.create(client.redirectUri()))
                .endpointURI(URI.create(client.endpoints().authorizationEndpoint())).state(new State(state));
        codeVerifier.ifPresent(v -> request.codeChallenge(new CodeVerifier(v), CodeChallengeMethod.S256));
        return request.build().toURI().toString();
    }

    /** The token endpoint's answer: the access token, and the ID token when the provider sent one. */
    public record Tokens(AccessToken accessToken, Optional<JWT> idToken) {
        @Override
        public String toString() {
            return "Tokens[redacted]";
        }
    }

    public Tokens exchange(OidcClient client, String code, Optional<String> codeVerifier) throws FederationFailure {
        ClientID clientId = new ClientID(client.clientId());
        Secret secret = new Secret(client.clientSecret());
        ClientAuthentication authentication = client.authMethod() == TokenAuthMethod.CLIENT_SECRET_BASIC
                ? new ClientSecretBasic(clientId, secret) : new ClientSecretPost(clientId, secret);
        TokenRequest request = new TokenRequest(URI.create(client.endpoints().tokenEndpoint()), authentication,
                new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(client.redirectUri()),
                        codeVerifier.map(CodeVerifier::new).orElse(null)));
        HTTPRequest httpRequest = request.toHTTPRequest();
        httpRequest.setAccept("application/json");
        HTTPResponse response = http.send(httpRequest, "token");
        TokenResponse parsed;
        try {
            parsed = OIDCTokenResponseParser.parse(response);
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw ProviderHttp.failure("token", "token response (HTTP " + response.getStatusCode() + ") is not understood");
        }
        if (!parsed.indicatesSuccess()) {
            TokenErrorResponse error = parsed.toErrorResponse();
            String code1 = error.getErrorObject() == null ? "unknown" : String.valueOf(error.getErrorObject().getCode());
            throw ProviderHttp.failure("token", "token endpoint answered HTTP " + response.getStatusCode() + " " + code1);
        }
        var success = parsed.toSuccessResponse();
        if (success instanceof com.nimbusds.openid.connect.sdk.OIDCTokenResponse oidc) {
            OIDCTokens tokens = oidc.getOIDCTokens();
            return new Tokens(tokens.getAccessToken(), Optional.ofNullable(tokens.getIDToken()));
        }
        return new Tokens(success.getTokens().getAccessToken(), Optional.empty());
    }

    /** Validates the ID token (signature by the provider's JWKS, iss, aud, exp/iat with 2 min skew, nonce). */
    public Map<String, Object> validateIdToken(OidcClient client, JWT idToken, String expectedNonce) throws FederationFailure {
        String issuer = client.endpoints().issuer().orElseThrow(() -> new FederationFailure("invalid_id_token",
                "The identity provider's ID token is invalid", "no issuer configured or discovered", "issuer"));
        String jwksUri = client.endpoints().jwksUri().orElseThrow(() -> new FederationFailure("invalid_id_token",
                "The identity provider's ID token is invalid", "no jwks_uri configured or discovered", "id_token_signature"));
        IDTokenValidator validator = new IDTokenValidator(new Issuer(issuer), new ClientID(client.clientId()),
                new JWSVerificationKeySelector<>(ID_TOKEN_ALGORITHMS, keySource(jwksUri)), null);
        validator.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
        try {
            IDTokenClaimsSet claims = validator.validate(idToken, new Nonce(expectedNonce));
            return new LinkedHashMap<>(claims.toJSONObject());
        } catch (com.nimbusds.jose.proc.BadJOSEException | com.nimbusds.jose.JOSEException | RuntimeException e) {
            throw new FederationFailure("invalid_id_token", "The identity provider's ID token is invalid",
                    "ID token rejected: " + e.getMessage(), idTokenStep(e));
        }
    }

    /**
     * Which check of the ID token failed, from the validator's refusal (D-AL1): a claim check ({@code issuer},
     * {@code audience}, {@code nonce}, {@code expiry}) names its claim, another claim check (a missing
     * {@code sub}) is {@code id_token_claims}; anything about the token's algorithm, key or signature, or a token
     * that is no signed JWT at all, is {@code id_token_signature}.
     */
    static String idTokenStep(Exception e) {
        // The refusal's head only: what follows a colon is the token's own (attacker-chosen) value.
        String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        String head = message.contains(":") ? message.substring(0, message.indexOf(':')) : message;
        if (!(e instanceof com.nimbusds.jwt.proc.BadJWTException) || head.contains("signed")
                || head.contains("signature") || head.contains("algorithm") || head.contains("key")) {
            return "id_token_signature";
        }
        if (head.contains("issuer")) {
            return "issuer";
        }
        if (head.contains("audience") || head.contains("authorized party")) {
            return "audience";
        }
        if (head.contains("nonce")) {
            return "nonce";
        }
        if (head.contains("expire") || head.contains("expiration") || head.contains("issue time")
                || head.contains("before use")) {
            return "expiry";
        }
        return "id_token_claims";
    }

    public Map<String, Object> userInfo(String userInfoEndpoint, AccessToken accessToken) throws FederationFailure {
        HTTPRequest request = new UserInfoRequest(URI.create(userInfoEndpoint), new BearerAccessToken(accessToken.getValue()))
                .toHTTPRequest();
        request.setAccept("application/json");
        return json(http.send(request, "userinfo"), "userinfo");
    }

    /** A plain GET with the access token (GitHub's /user and /user/emails), parsed as JSON. */
    public Object getJson(String url, AccessToken accessToken, String step) throws FederationFailure {
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, URI.create(url));
        request.setAuthorization("Bearer " + accessToken.getValue());
        request.setAccept("application/json");
        HTTPResponse response = http.send(request, step);
        if (response.getStatusCode() != 200) {
            throw ProviderHttp.failure(step, url + " answered HTTP " + response.getStatusCode());
        }
        try {
            return com.nimbusds.jose.util.JSONObjectUtils.parse("{\"v\":" + response.getBody() + "}").get("v");
        } catch (java.text.ParseException | RuntimeException e) {
            throw ProviderHttp.failure(step, url + " did not answer JSON");
        }
    }

    private static Map<String, Object> json(HTTPResponse response, String step) throws FederationFailure {
        if (response.getStatusCode() != 200) {
            throw ProviderHttp.failure(step, step + " answered HTTP " + response.getStatusCode());
        }
        try {
            return new LinkedHashMap<>(response.getBodyAsJSONObject());
        } catch (com.nimbusds.oauth2.sdk.ParseException | RuntimeException e) {
            throw ProviderHttp.failure(step, step + " did not answer a JSON object");
        }
    }

    private JWKSource<SecurityContext> keySource(String jwksUri) throws FederationFailure {
        Optional<String> refused = http.refusal(jwksUri);
        if (refused.isPresent()) {
            throw ProviderHttp.failure("jwks", "jwks_uri refused: " + refused.get());
        }
        try {
            URL url = URI.create(jwksUri).toURL();
            return keySources.computeIfAbsent(jwksUri, u -> JWKSourceBuilder.create(url, new CheckedRetriever(http))
                    .cache(true).rateLimited(false).retrying(false).build());
        } catch (java.net.MalformedURLException | IllegalArgumentException e) {
            throw ProviderHttp.failure("jwks", "jwks_uri is not a URL");
        }
    }

    /**
     * Nimbus's retriever over {@link ProviderHttp}: checked by the destination policy on every fetch (DNS may change)
     * and sent to the address that check accepted.
     */
    private record CheckedRetriever(ProviderHttp http) implements ResourceRetriever {
        @Override
        public Resource retrieveResource(URL url) throws IOException {
            PinnedHttp.Response response;
            try {
                response = http.get(url.toURI(), Map.of("Accept", "application/json"), MAX_JWKS_BYTES);
            } catch (PinnedHttp.RefusedDestinationException e) {
                throw new IOException("jwks_uri refused: " + e.getMessage());
            } catch (java.net.URISyntaxException e) {
                throw new IOException("jwks_uri is not a URI");
            }
            if (response.status() < 200 || response.status() > 299) {
                throw new IOException("jwks_uri answered HTTP " + response.status());
            }
            if (response.truncated()) {
                throw new IOException("the JWKS is larger than " + MAX_JWKS_BYTES + " bytes");
            }
            return new Resource(response.bodyText(), response.header("content-type").orElse(null));
        }
    }
}
