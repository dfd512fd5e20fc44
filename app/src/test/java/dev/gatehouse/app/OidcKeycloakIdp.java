package dev.gatehouse.app;

import java.util.List;
import java.util.Map;

/**
 * Keycloak 26 as the customer's OpenID provider for the OIDC-connection tests (docs/DECISIONS.md D-SO4, D-KB4): realms,
 * confidential clients and users on the test JVM's shared {@link KeycloakProcess}, made through its admin REST API.
 */
final class OidcKeycloakIdp {
    private final KeycloakProcess keycloak;

    private OidcKeycloakIdp(KeycloakProcess keycloak) {
        this.keycloak = keycloak;
    }

    /** The OIDC side of the test JVM's one Keycloak, started on first use. */
    static OidcKeycloakIdp shared() {
        return new OidcKeycloakIdp(KeycloakProcess.shared());
    }

    String issuer(String realm) {
        return keycloak.issuer(realm);
    }

    /** A realm with one confidential client (PKCE S256 required) and one user with a verified email. */
    void createRealm(String realm, String clientId, String clientSecret, String redirectUriPattern, String username,
                     String password, String email) {
        keycloak.createRealmWithUser(realm, username, password, email);
        keycloak.admin("POST", "/admin/realms/" + realm + "/clients", Map.of("clientId", clientId, "secret", clientSecret,
                "publicClient", false, "standardFlowEnabled", true, "directAccessGrantsEnabled", false,
                "redirectUris", List.of(redirectUriPattern),
                "attributes", Map.of("pkce.code.challenge.method", "S256")));
    }
}
