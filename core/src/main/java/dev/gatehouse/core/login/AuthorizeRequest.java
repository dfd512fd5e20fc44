package dev.gatehouse.core.login;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated {@code /oauth/authorize} request: the client and redirect URI are registered, PKCE (when present)
 * is S256, and every parameter is within its size limit. Kept with the login transaction until a code is issued.
 */
public record AuthorizeRequest(
        String clientId,
        String redirectUri,
        List<String> scopes,
        Optional<String> state,
        Optional<String> nonce,
        Optional<String> codeChallenge,
        Set<String> prompt,
        Optional<String> loginHint,
        Optional<String> organizationId,
        Optional<String> connectionId,
        Optional<String> domain,
        Optional<String> provider) {

    public AuthorizeRequest {
        scopes = List.copyOf(scopes);
        prompt = Set.copyOf(prompt);
    }

    public boolean prompts(String value) {
        return prompt.contains(value);
    }

    public boolean wantsRefreshToken() {
        return scopes.contains("offline_access");
    }

    /** Flat string map for storage; {@link #fromMap} reads it back. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("client_id", clientId);
        map.put("redirect_uri", redirectUri);
        map.put("scope", String.join(" ", scopes));
        map.put("prompt", String.join(" ", prompt));
        state.ifPresent(v -> map.put("state", v));
        nonce.ifPresent(v -> map.put("nonce", v));
        codeChallenge.ifPresent(v -> map.put("code_challenge", v));
        loginHint.ifPresent(v -> map.put("login_hint", v));
        organizationId.ifPresent(v -> map.put("organization_id", v));
        connectionId.ifPresent(v -> map.put("connection_id", v));
        domain.ifPresent(v -> map.put("domain", v));
        provider.ifPresent(v -> map.put("provider", v));
        return map;
    }

    public static AuthorizeRequest fromMap(Map<String, String> map) {
        return new AuthorizeRequest(map.get("client_id"), map.get("redirect_uri"), words(map.get("scope")),
                Optional.ofNullable(map.get("state")), Optional.ofNullable(map.get("nonce")),
                Optional.ofNullable(map.get("code_challenge")), Set.copyOf(words(map.get("prompt"))),
                Optional.ofNullable(map.get("login_hint")), Optional.ofNullable(map.get("organization_id")),
                Optional.ofNullable(map.get("connection_id")), Optional.ofNullable(map.get("domain")),
                Optional.ofNullable(map.get("provider")));
    }

    private static List<String> words(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value.trim().split(" +"));
    }
}
