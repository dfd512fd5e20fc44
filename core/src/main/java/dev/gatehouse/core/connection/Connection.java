package dev.gatehouse.core.connection;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An organization's enterprise SSO connection to its identity provider. {@code enabled} decides whether it can be
 * used to sign in; {@link #status()} only tells how complete its configuration is (R-SSO-97).
 *
 * @param attributeMapping profile field (email, given_name, …, or a custom attribute) → the IdP's attribute name
 */
public record Connection(
        String id,
        String environmentId,
        String organizationId,
        ConnectionType type,
        ConnectionProvider provider,
        boolean enabled,
        boolean debugEnabled,
        Optional<String> uiButtonTitle,
        Map<String, String> attributeMapping,
        ConnectionSettings settings,
        Optional<SpCredential> spCredential,
        Instant createTime,
        Instant updateTime) {

    public Connection {
        Objects.requireNonNull(settings);
        attributeMapping = Map.copyOf(attributeMapping);
        if ((type == ConnectionType.SAML) != (settings instanceof SamlSettings)) {
            throw new IllegalArgumentException("settings do not match the connection type " + type);
        }
    }

    /**
     * How complete the configuration is. The built-in IdP simulator needs no IdP details: it is always COMPLETED
     * (docs/DECISIONS.md D-SIM1).
     */
    public ConnectionStatus status() {
        return isSimulator() ? ConnectionStatus.COMPLETED : settings.status(debugEnabled);
    }

    /** The built-in IdP simulator of a development environment's test organization (D-SIM1). */
    public boolean isSimulator() {
        return provider == ConnectionProvider.IDP_SIMULATOR;
    }

    /** Enabled and completely configured: a login may use it. */
    public boolean isActive() {
        return enabled && status() == ConnectionStatus.COMPLETED;
    }

    /**
     * Whether a sign-in may go through it: an active connection, or, for a connection test from the admin portal
     * (docs/DECISIONS.md D-AP4), a completely configured one that is not enabled yet.
     */
    public boolean canSignIn(boolean connectionTest) {
        return connectionTest ? status() == ConnectionStatus.COMPLETED : isActive();
    }

    public Optional<SamlSettings> saml() {
        return settings instanceof SamlSettings saml ? Optional.of(saml) : Optional.empty();
    }

    public Optional<OidcSettings> oidc() {
        return settings instanceof OidcSettings oidc ? Optional.of(oidc) : Optional.empty();
    }

    public Connection withEnabled(boolean value, Instant now) {
        return new Connection(id, environmentId, organizationId, type, provider, value, debugEnabled, uiButtonTitle,
                attributeMapping, settings, spCredential, createTime, now);
    }

    public Connection withSettings(ConnectionSettings value, Instant now) {
        return new Connection(id, environmentId, organizationId, type, provider, enabled, debugEnabled, uiButtonTitle,
                attributeMapping, value, spCredential, createTime, now);
    }

    public Connection withSpCredential(SpCredential credential) {
        return new Connection(id, environmentId, organizationId, type, provider, enabled, debugEnabled, uiButtonTitle,
                attributeMapping, settings, Optional.of(credential), createTime, updateTime);
    }
}
