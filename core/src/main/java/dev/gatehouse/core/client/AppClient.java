package dev.gatehouse.core.client;

import java.util.List;
import java.util.Optional;

/**
 * An environment client ({@code skc_…}) as the sign-in flows see it: where it may be sent back to.
 * Built by {@link AppClientDirectory}; immutable.
 *
 * <p>Wildcards: a registered redirect URI holding a {@code *} is a wildcard pattern. Registration
 * admits one only in a development environment, and an environment's type never changes, so a
 * production client's list never holds one (docs/DECISIONS.md D-C2).
 *
 * @param hasSecrets whether the client has at least one ACTIVE secret (a confidential client)
 */
public record AppClient(String environmentId, String clientId, boolean hasSecrets, List<String> redirectUris,
                        Optional<String> defaultRedirectUri, List<String> postLogoutRedirectUris, boolean enforcePkce) {
    public AppClient {
        redirectUris = List.copyOf(redirectUris);
        postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
    }

    /** Exact match, or (development environments only) a registered wildcard URI matching per spec-sso §8.1. */
    public boolean acceptsRedirectUri(String uri) {
        if (uri == null || uri.isEmpty()) {
            return false;
        }
        for (String registered : redirectUris) {
            if (registered.equals(uri)
                    || (registered.indexOf('*') >= 0 && RedirectUriRules.wildcardMatches(registered, uri))) {
                return true;
            }
        }
        return false;
    }

    /** Exact match against postLogoutRedirectUris. */
    public boolean acceptsPostLogoutRedirectUri(String uri) {
        return uri != null && postLogoutRedirectUris.contains(uri);
    }
}
