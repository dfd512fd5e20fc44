package dev.gatehouse.core.client;

import java.util.List;
import java.util.Optional;

/** The environment's application client as the authorization server sees it: where it may send users back to. */
public record AppClient(String environmentId, String clientId, boolean hasSecrets, List<String> redirectUris,
        Optional<String> defaultRedirectUri, List<String> postLogoutRedirectUris, boolean enforcePkce) {
    public AppClient {
        redirectUris = List.copyOf(redirectUris);
        postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
    }

    /** Exact match, or (development environments only) a registered wildcard URI matching per spec-sso §8.1. */
    public boolean acceptsRedirectUri(String uri) {
        return uri != null && redirectUris.contains(uri);
    }

    /** Exact match against postLogoutRedirectUris. */
    public boolean acceptsPostLogoutRedirectUri(String uri) {
        return uri != null && postLogoutRedirectUris.contains(uri);
    }
}
