package dev.gatehouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The relying party's side of the code flow and the token endpoint's grants, as a confidential client
 * ({@code client_secret_post}) with PKCE S256. Failures throw {@link IllegalStateException} naming what came back.
 */
final class OidcClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FormHttp http;
    private final String authorizePath;
    private final String tokenPath;
    private final String clientId;
    private final String clientSecret;
    private final String redirectUri;

    /** Paths are relative to {@code http}'s URL; {@code authorizePath} is unused by servers measured for refresh only. */
    OidcClient(FormHttp http, String authorizePath, String tokenPath, String clientId, String clientSecret,
               String redirectUri) {
        this.http = http;
        this.authorizePath = authorizePath;
        this.tokenPath = tokenPath;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.redirectUri = redirectUri;
    }

    /** What a token response carried. */
    record Tokens(String accessToken, Optional<String> refreshToken, Optional<String> idToken) {}

    /** A PKCE pair: the verifier the client keeps and the S256 challenge it sends. */
    record Pkce(String verifier, String challenge) {
        static Pkce next() {
            byte[] random = new byte[32];
            ThreadLocalRandom.current().nextBytes(random);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The authorize URL's path and query for a fresh state and nonce. */
    String authorizeRequest(String scope, Pkce pkce, String state) {
        return authorizePath + "?" + FormHttp.form("response_type", "code", "client_id", clientId,
                "redirect_uri", redirectUri, "scope", scope, "state", state, "nonce", "n-" + state,
                "code_challenge", pkce.challenge(), "code_challenge_method", "S256");
    }

    /**
     * The authorization code from a redirect to the client's callback ({@code 302 Location: redirect_uri?code=…}),
     * checking the state; anything else throws.
     */
    String codeFromCallback(FormHttp.Answer response, String state) {
        String location = response.header("location").orElse("");
        if (response.status() != 302 || !location.startsWith(redirectUri + "?")) {
            throw new IllegalStateException("expected a redirect to " + redirectUri + ", got HTTP "
                    + response.status() + " " + (location.isEmpty() ? abbreviate(response.bodyUtf8()) : location));
        }
        if (!FormHttp.queryParameter(location, "state").orElse("").equals(state)) {
            throw new IllegalStateException("state not returned: " + location);
        }
        return FormHttp.queryParameter(location, "code")
                .orElseThrow(() -> new IllegalStateException("no code in the callback: " + location));
    }

    /**
     * A warm-session login: authorize with the browser's cookies (its session: no page shown), then the code
     * exchange. {@code cookieHeader} is what {@link HostedLogin#signIn} returned.
     */
    Tokens loginWithSession(String cookieHeader, String scope) {
        Pkce pkce = Pkce.next();
        String state = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
        FormHttp.Answer authorized = http.get(authorizeRequest(scope, pkce, state), Optional.of(cookieHeader));
        return exchangeCode(codeFromCallback(authorized, state), pkce);
    }

    Tokens exchangeCode(String code, Pkce pkce) {
        return tokens(http.postForm(tokenPath, FormHttp.form("grant_type", "authorization_code", "code", code,
                "redirect_uri", redirectUri, "code_verifier", pkce.verifier(), "client_id", clientId,
                "client_secret", clientSecret), Optional.empty()));
    }

    Tokens refresh(String refreshToken) {
        return tokens(http.postForm(tokenPath, FormHttp.form("grant_type", "refresh_token",
                "refresh_token", refreshToken, "client_id", clientId, "client_secret", clientSecret), Optional.empty()));
    }

    /** Resource-owner password grant: only to prepare Keycloak sessions, never measured. */
    Tokens password(String username, String password, String scope) {
        return tokens(http.postForm(tokenPath, FormHttp.form("grant_type", "password", "username", username,
                "password", password, "scope", scope, "client_id", clientId, "client_secret", clientSecret),
                Optional.empty()));
    }

    private static Tokens tokens(FormHttp.Answer response) {
        String body = response.bodyUtf8();
        if (response.status() != 200) {
            throw new IllegalStateException("token endpoint: HTTP " + response.status() + " " + abbreviate(body));
        }
        try {
            JsonNode json = JSON.readTree(body);
            String access = json.path("access_token").asText("");
            if (access.isEmpty()) {
                throw new IllegalStateException("token endpoint: no access_token in " + abbreviate(body));
            }
            return new Tokens(access, text(json, "refresh_token"), text(json, "id_token"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("token endpoint: not JSON: " + abbreviate(body), e);
        }
    }

    private static Optional<String> text(JsonNode json, String field) {
        return Optional.of(json.path(field).asText("")).filter(v -> !v.isEmpty());
    }

    static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
