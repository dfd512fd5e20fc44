package dev.gatehouse.oauth.federation;

import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.environment.EnvironmentDirectory;
import dev.gatehouse.core.login.IdentityProviderRedirect;
import dev.gatehouse.core.login.IdentityProviderStarter;
import dev.gatehouse.core.login.LoginTransaction;
import java.util.Optional;

/**
 * Sends the browser to an OIDC connection's IdP: an authentication request with {@code state} = the login
 * transaction's ID, a {@code nonce} and (unless the connection turned it off) a PKCE S256 challenge, both derived
 * from the login by {@link FederationSecrets}.
 */
public final class OidcConnectionStarter implements IdentityProviderStarter {
    private final EnvironmentDirectory environments;
    private final OidcConnectionClients clients;
    private final OidcCodeFlow flow;
    private final FederationSecrets secrets;

    public OidcConnectionStarter(EnvironmentDirectory environments, OidcConnectionClients clients, OidcCodeFlow flow,
                                 FederationSecrets secrets) {
        this.environments = environments;
        this.clients = clients;
        this.flow = flow;
        this.secrets = secrets;
    }

    @Override
    public IdentityProviderRedirect start(String environmentId, String connectionId, LoginTransaction login) {
        Optional<Environment> environment = environments.byId(environmentId);
        if (environment.isEmpty()) {
            return new IdentityProviderRedirect.Unavailable(OidcConnectionClients.NOT_ACTIVE,
                    "This connection cannot be used to sign in", "unknown environment");
        }
        try {
            OidcClient client = clients.forConnection(environment.get(), connectionId, login.testsConnection()).client();
            Optional<String> verifier = client.pkce()
                    ? Optional.of(secrets.codeVerifier(environmentId, connectionId, login.id())) : Optional.empty();
            return new IdentityProviderRedirect.Location(flow.authorizationUrl(client, login.id(),
                    Optional.of(secrets.nonce(environmentId, connectionId, login.id())), verifier));
        } catch (FederationFailure failure) {
            return new IdentityProviderRedirect.Unavailable(failure.errorCode(), failure.description(), failure.reason());
        } catch (IllegalArgumentException e) {
            return new IdentityProviderRedirect.Unavailable(OidcConnectionClients.NOT_ACTIVE,
                    "This connection cannot be used to sign in", "invalid IdP endpoint: " + e.getClass().getSimpleName());
        }
    }
}
