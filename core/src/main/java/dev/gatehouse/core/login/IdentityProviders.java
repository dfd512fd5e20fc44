package dev.gatehouse.core.login;

import java.util.Optional;

/**
 * The hosted login's port onto federation (enterprise SAML / OIDC connections, social providers): which connection
 * an email address belongs to, and how to send the browser there. The login's ID travels as RelayState / state and
 * comes back to {@link LoginService#completeFederated}.
 */
public interface IdentityProviders {
    /** The enterprise connection that signs in addresses of this email's domain, if one is enabled. */
    Optional<String> connectionForEmail(String environmentId, String email);

    /** The redirect to the connection's (or social provider's) sign-in for this login. */
    IdentityProviderRedirect start(String environmentId, String connectionId, LoginTransaction login);

    /** Nothing federated configured: every address uses the email code. */
    IdentityProviders NONE = new IdentityProviders() {
        @Override
        public Optional<String> connectionForEmail(String environmentId, String email) {
            return Optional.empty();
        }

        @Override
        public IdentityProviderRedirect start(String environmentId, String connectionId, LoginTransaction login) {
            return new IdentityProviderRedirect.Unavailable("connection_not_active",
                    "This connection cannot be used to sign in", "no identity providers are configured");
        }
    };
}
