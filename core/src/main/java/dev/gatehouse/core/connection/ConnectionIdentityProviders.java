package dev.gatehouse.core.connection;

import dev.gatehouse.core.login.IdentityProviderRedirect;
import dev.gatehouse.core.login.IdentityProviderStarter;
import dev.gatehouse.core.login.IdentityProviders;
import dev.gatehouse.core.login.LoginTransaction;
import java.util.Map;
import java.util.Optional;

/**
 * The hosted login's {@link IdentityProviders}: an email's domain is routed with the {@link LoginRouter} (only an
 * enterprise connection found by domain takes the user away from the email code), and a sign-in is started by the
 * starter of the connection's type (SAML, OIDC) or by the social starter.
 */
public final class ConnectionIdentityProviders implements IdentityProviders {
    private final LoginRouter router;
    private final ConnectionRepository connections;
    private final Map<ConnectionType, IdentityProviderStarter> enterprise;
    private final Optional<IdentityProviderStarter> social;
    /** Starters that serve one IdP product whatever its protocol (the built-in IdP simulator, D-SIM2). */
    private final Map<ConnectionProvider, IdentityProviderStarter> byProvider;

    public ConnectionIdentityProviders(LoginRouter router, ConnectionRepository connections,
                                       Map<ConnectionType, IdentityProviderStarter> enterprise,
                                       Optional<IdentityProviderStarter> social) {
        this(router, connections, enterprise, social, Map.of());
    }

    private ConnectionIdentityProviders(LoginRouter router, ConnectionRepository connections,
                                        Map<ConnectionType, IdentityProviderStarter> enterprise,
                                        Optional<IdentityProviderStarter> social,
                                        Map<ConnectionProvider, IdentityProviderStarter> byProvider) {
        this.router = router;
        this.connections = connections;
        this.enterprise = Map.copyOf(enterprise);
        this.social = social;
        this.byProvider = Map.copyOf(byProvider);
    }

    /** A copy in which connections of {@code provider} are started by {@code starter}, before the type's starter. */
    public ConnectionIdentityProviders withProviderStarter(ConnectionProvider provider, IdentityProviderStarter starter) {
        Map<ConnectionProvider, IdentityProviderStarter> starters = new java.util.EnumMap<>(ConnectionProvider.class);
        starters.putAll(byProvider);
        starters.put(provider, starter);
        return new ConnectionIdentityProviders(router, connections, enterprise, social, starters);
    }

    private Optional<IdentityProviderStarter> starterOf(Connection connection) {
        return Optional.ofNullable(byProvider.get(connection.provider()))
                .or(() -> Optional.ofNullable(enterprise.get(connection.type())));
    }

    @Override
    public Optional<String> connectionForEmail(String environmentId, String email) {
        LoginRoute route = router.route(environmentId, new LoginSelectors(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(email)));
        return route instanceof LoginRoute.ToConnection to && starterOf(to.connection()).isPresent()
                ? Optional.of(to.connection().id()) : Optional.empty();
    }

    @Override
    public IdentityProviderRedirect start(String environmentId, String connectionId, LoginTransaction login) {
        if (!connectionId.startsWith(dev.gatehouse.core.shared.IdPrefix.CONNECTION.wire())) {
            return social.map(starter -> starter.start(environmentId, connectionId, login))
                    .orElseGet(() -> unavailable("social login is not configured: " + connectionId));
        }
        Optional<Connection> connection = connections.findRecent(environmentId, connectionId);
        if (connection.isEmpty()) {
            return unavailable("connection " + connectionId + " is missing or disabled");
        }
        return start(environmentId, connection.get(), login);
    }

    /**
     * A starter for a login routed to {@code routed}, the connection as the {@link LoginRouter} read it from storage
     * for this request: that read is used as is, not repeated (docs/DECISIONS.md D-RB3). Any other ID is started by
     * {@link #start(String, String, LoginTransaction)}.
     */
    public IdentityProviderStarter routedTo(Connection routed) {
        return (environmentId, connectionId, login) -> routed.id().equals(connectionId)
                && routed.environmentId().equals(environmentId)
                ? start(environmentId, routed, login) : start(environmentId, connectionId, login);
    }

    /** Starts {@code connection} (already read): enabled (or under test), then its starter, given the row itself. */
    private IdentityProviderRedirect start(String environmentId, Connection connection, LoginTransaction login) {
        if (!(connection.enabled() || login.testsConnection())) {
            return unavailable("connection " + connection.id() + " is missing or disabled");
        }
        return starterOf(connection).map(starter -> starter instanceof ConnectionStarter bound
                        ? bound.start(environmentId, connection, login)
                        : starter.start(environmentId, connection.id(), login))
                .orElseGet(() -> unavailable("no sign-in for connections of type " + connection.type()));
    }

    private static IdentityProviderRedirect unavailable(String reason) {
        return new IdentityProviderRedirect.Unavailable("connection_not_active",
                "This connection cannot be used to sign in", reason);
    }
}
