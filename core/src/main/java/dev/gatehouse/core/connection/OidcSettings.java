package dev.gatehouse.core.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An OIDC connection's IdP details (spec-sso.md §4). The client secret is only ever held sealed
 * ({@link ConnectionService#oidcClientSecret} opens it for the login flow); the API never returns it.
 * The endpoints may be left empty when {@code issuer} or {@code discoveryEndpoint} is set: the login flow
 * then reads them from the IdP's discovery document.
 */
public record OidcSettings(
        Optional<String> issuer,
        Optional<String> discoveryEndpoint,
        Optional<String> authorizeUri,
        Optional<String> tokenUri,
        Optional<String> userInfoUri,
        Optional<String> jwksUri,
        Optional<String> clientId,
        Optional<SealedValue> clientSecret,
        List<String> scopes,
        TokenAuthMethod tokenAuthMethod,
        boolean pkceEnabled,
        boolean idpLogoutRequired) implements ConnectionSettings {

    public static final List<String> DEFAULT_SCOPES = List.of("openid", "profile", "email");
    public static final List<String> ALLOWED_SCOPES = List.of("openid", "profile", "email", "address", "phone");

    public OidcSettings {
        scopes = List.copyOf(scopes);
    }

    /** A new OIDC connection: no IdP yet, scopes {@code openid profile email}, secret in the body, PKCE on. */
    public static OidcSettings empty() {
        return new OidcSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_SCOPES, TokenAuthMethod.CLIENT_SECRET_POST,
                true, false);
    }

    @Override
    public List<String> missing(boolean debugEnabled) {
        List<String> missing = new ArrayList<>();
        boolean discoverable = issuer.isPresent() || discoveryEndpoint.isPresent();
        if (!discoverable) {
            if (authorizeUri.isEmpty()) {
                missing.add("authorize_uri");
            }
            if (tokenUri.isEmpty()) {
                missing.add("token_uri");
            }
            if (jwksUri.isEmpty()) {
                missing.add("jwks_uri");
            }
        }
        if (clientId.isEmpty()) {
            missing.add("client_id");
        }
        if (clientSecret.isEmpty()) {
            missing.add("client_secret");
        }
        return missing;
    }

    @Override
    public boolean isEmpty() {
        return issuer.isEmpty() && discoveryEndpoint.isEmpty() && authorizeUri.isEmpty() && tokenUri.isEmpty()
                && jwksUri.isEmpty() && clientId.isEmpty() && clientSecret.isEmpty();
    }

    @Override
    public boolean discovered() {
        return issuer.isPresent() || discoveryEndpoint.isPresent();
    }
}
