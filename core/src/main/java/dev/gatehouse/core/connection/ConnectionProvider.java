package dev.gatehouse.core.connection;

import java.util.Optional;

/**
 * The identity provider product behind an enterprise connection. It only picks defaults (attribute mapping,
 * display name); every provider speaks plain SAML 2.0 or OpenID Connect. The social providers of the wire
 * enum (GITHUB, GITLAB, LINKEDIN, SALESFORCE, MICROSOFT, SCALEKIT) are not enterprise connections.
 */
public enum ConnectionProvider {
    OKTA("Okta"),
    GOOGLE("Google Workspace"),
    MICROSOFT_AD("Microsoft Entra ID"),
    AUTH0("Auth0"),
    ONELOGIN("OneLogin"),
    PING_IDENTITY("PingIdentity"),
    JUMPCLOUD("JumpCloud"),
    CUSTOM("Custom"),
    IDP_SIMULATOR("IdP Simulator"),
    ADFS("Microsoft AD FS");

    private final String displayName;

    ConnectionProvider(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    /** The provider of a wire name, if it is one of the enterprise providers. */
    public static Optional<ConnectionProvider> fromWire(String name) {
        for (ConnectionProvider provider : values()) {
            if (provider.name().equals(name)) {
                return Optional.of(provider);
            }
        }
        return Optional.empty();
    }
}
