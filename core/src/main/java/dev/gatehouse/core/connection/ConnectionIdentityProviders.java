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

    public ConnectionIdentityProviders(LoginRouter router, ConnectionRepository connections,
                                       Map<ConnectionType, IdentityProviderStarter> enterprise,
                                       Optional<IdentityProviderStarter> social) {
        this.router = router;
        this.connections = connections;
        this.enterprise = Map.copyOf(enterprise);
        this.social = social;
    }

    @Override
    public Optional<String> connectionForEmail(String environmentId, String email) {
        LoginRoute route = router.route(environmentId, new LoginSelectors(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(email)));
        return route instanceof LoginRoute.ToConnection to && enterprise.containsKey(to.connection().type())
                ? Optional.of(to.connection().id()) : Optional.empty();
    }

    @Override
    public IdentityProviderRedirect start(String environmentId, String connectionId, LoginTransaction login) {
        if (!connectionId.startsWith(dev.gatehouse.core.shared.IdPrefix.CONNECTION.wire())) {
            return social.map(starter -> starter.start(environmentId, connectionId, login))
                    .orElseGet(() -> unavailable("social login is not configured: " + connectionId));
        }
        Optional<Connection> connection = connections.findById(environmentId, connectionId);
        if (connection.isEmpty() || !connection.get().enabled()) {
            return unavailable("connection " + connectionId + " is missing or disabled");
        }
        IdentityProviderStarter starter = enterprise.get(connection.get().type());
        return starter == null ? unavailable("no sign-in for connections of type " + connection.get().type())
                : starter.start(environmentId, connectionId, login);
    }

    private static IdentityProviderRedirect unavailable(String reason) {
        return new IdentityProviderRedirect.Unavailable("connection_not_active",
                "This connection cannot be used to sign in", reason);
    }
}
