package dev.gatehouse.oauth.federation;

import dev.gatehouse.core.connection.TokenAuthMethod;
import java.util.List;

/** Gatehouse as the relying party of one provider: its credentials there, and what it asks for. */
public record OidcClient(
        String clientId,
        String clientSecret,
        TokenAuthMethod authMethod,
        List<String> scopes,
        boolean pkce,
        OidcEndpoints endpoints,
        String redirectUri) {

    public OidcClient {
        scopes = List.copyOf(scopes);
    }

    @Override
    public String toString() {
        return "OidcClient[" + clientId + ", " + endpoints + "]";
    }
}
