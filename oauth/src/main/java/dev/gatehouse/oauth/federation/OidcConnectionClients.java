package dev.gatehouse.oauth.federation;

import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.connection.ConnectionRepository;
import dev.gatehouse.core.connection.ConnectionService;
import dev.gatehouse.core.connection.ConnectionType;
import dev.gatehouse.core.connection.OidcSettings;
import dev.gatehouse.core.connection.ServiceProviderUrls;
import dev.gatehouse.core.environment.Environment;
import java.util.Optional;

/**
 * An OIDC connection as a relying-party client: its endpoints (discovered from the issuer or discovery URL, each
 * one overridable by the connection's own {@code *_uri} fields), its opened client secret, and the redirect URI
 * {@code <issuer>/sso/v1/oidc/<conn_id>/callback} (spec-sso §3.4).
 */
public final class OidcConnectionClients {
    static final String NOT_ACTIVE = "connection_not_active";
    private final ConnectionRepository connections;
    private final ConnectionService connectionService;
    private final OidcDiscovery discovery;

    public OidcConnectionClients(ConnectionRepository connections, ConnectionService connectionService, OidcDiscovery discovery) {
        this.connections = connections;
        this.connectionService = connectionService;
        this.discovery = discovery;
    }

    public record ConnectionClient(Connection connection, OidcClient client) {}

    /**
     * The connection's client, ready to sign in. {@code connectionTest}: an admin portal's test (D-AP4), which may use
     * a complete connection that is not enabled yet.
     */
    public ConnectionClient forConnection(Environment environment, String connectionId, boolean connectionTest)
            throws FederationFailure {
        Connection connection = connections.findById(environment.id(), connectionId)
                .filter(c -> c.type() == ConnectionType.OIDC)
                .orElseThrow(() -> new FederationFailure(NOT_ACTIVE, "This connection cannot be used to sign in",
                        "no OIDC connection " + connectionId));
        if (!connection.canSignIn(connectionTest)) {
            throw new FederationFailure(NOT_ACTIVE, "This connection cannot be used to sign in",
                    "connection " + connectionId + " is disabled or not completely configured");
        }
        OidcSettings settings = connection.oidc().orElseThrow();
        Optional<String> source = settings.discoveryEndpoint().or(settings::issuer);
        Optional<OidcEndpoints> discovered = source.isPresent() ? Optional.of(discovery.discover(source.get()))
                : Optional.empty();
        // The discovered issuer wins (it equals a configured one, checked below); an "issuer" that is really the
        // discovery URL never becomes the expected iss.
        Optional<String> issuer = discovered.flatMap(OidcEndpoints::issuer)
                .or(() -> settings.issuer().filter(i -> !i.contains("/.well-known/")));
        if (settings.issuer().isPresent() && discovered.flatMap(OidcEndpoints::issuer).isPresent()
                && !sameIssuer(settings.issuer().get(), discovered.get().issuer().get())) {
            throw new FederationFailure(NOT_ACTIVE, ProviderHttp.DISCOVERY_DESCRIPTION,
                    "discovered issuer " + discovered.get().issuer().get() + " differs from the configured issuer");
        }
        String authorize = settings.authorizeUri().or(() -> discovered.map(OidcEndpoints::authorizationEndpoint))
                .orElseThrow(() -> incomplete(connectionId, "authorize_uri"));
        String token = settings.tokenUri().or(() -> discovered.map(OidcEndpoints::tokenEndpoint))
                .orElseThrow(() -> incomplete(connectionId, "token_uri"));
        OidcEndpoints endpoints = new OidcEndpoints(issuer, authorize, token,
                settings.userInfoUri().or(() -> discovered.flatMap(OidcEndpoints::userInfoEndpoint)),
                settings.jwksUri().or(() -> discovered.flatMap(OidcEndpoints::jwksUri)));
        String secret = connectionService.oidcClientSecret(connection).orElseThrow(() -> incomplete(connectionId, "client_secret"));
        String redirectUri = ServiceProviderUrls.of(environment.issuerUrl(), connection).oidcRedirectUri();
        return new ConnectionClient(connection, new OidcClient(settings.clientId().orElseThrow(() -> incomplete(connectionId,
                "client_id")), secret, settings.tokenAuthMethod(), settings.scopes().isEmpty() ? OidcSettings.DEFAULT_SCOPES
                : settings.scopes(), settings.pkceEnabled(), endpoints, redirectUri));
    }

    private static boolean sameIssuer(String configured, String discovered) {
        return configured.replaceAll("/+$", "").equals(discovered.replaceAll("/+$", ""))
                || configured.contains("/.well-known/");
    }

    private static FederationFailure incomplete(String connectionId, String field) {
        return new FederationFailure(NOT_ACTIVE, "This connection cannot be used to sign in",
                "connection " + connectionId + " has no " + field);
    }
}
