package dev.gatehouse.core.connection;

import dev.gatehouse.core.login.IdentityProviderRedirect;
import dev.gatehouse.core.login.IdentityProviderStarter;
import dev.gatehouse.core.login.LoginTransaction;

/**
 * An {@link IdentityProviderStarter} that can also start a sign-in from a connection its caller has already read in
 * this request ({@link ConnectionIdentityProviders}: the router's row, or its own read), so that the connection is not
 * read a second time (docs/DECISIONS.md D-RB3). The caller has checked that the connection belongs to the environment
 * and may sign this login in; the starter checks what its protocol needs (settings, keys).
 */
public interface ConnectionStarter extends IdentityProviderStarter {
    IdentityProviderRedirect start(String environmentId, Connection connection, LoginTransaction login);
}
