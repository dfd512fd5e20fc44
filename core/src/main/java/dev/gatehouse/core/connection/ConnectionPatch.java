package dev.gatehouse.core.connection;

import java.util.Map;
import java.util.Optional;

/**
 * A change to a connection: absent parts keep their value. A present {@code attributeMapping} replaces the whole
 * map (like organization metadata, D7); {@code saml} and {@code oidc} must match the connection's type.
 */
public record ConnectionPatch(
        Optional<ConnectionType> type,
        Optional<ConnectionProvider> provider,
        Optional<Boolean> debugEnabled,
        Optional<String> uiButtonTitle,
        Optional<Map<String, String>> attributeMapping,
        Optional<SamlPatch> saml,
        Optional<OidcPatch> oidc) {

    public static final ConnectionPatch NONE = new ConnectionPatch(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public ConnectionPatch withSaml(SamlPatch value) {
        return new ConnectionPatch(type, provider, debugEnabled, uiButtonTitle, attributeMapping, Optional.of(value), oidc);
    }

    public ConnectionPatch withOidc(OidcPatch value) {
        return new ConnectionPatch(type, provider, debugEnabled, uiButtonTitle, attributeMapping, saml, Optional.of(value));
    }

    public ConnectionPatch withDebugEnabled(boolean value) {
        return new ConnectionPatch(type, provider, Optional.of(value), uiButtonTitle, attributeMapping, saml, oidc);
    }

    public ConnectionPatch withAttributeMapping(Map<String, String> value) {
        return new ConnectionPatch(type, provider, debugEnabled, uiButtonTitle, Optional.of(Map.copyOf(value)), saml, oidc);
    }
}
