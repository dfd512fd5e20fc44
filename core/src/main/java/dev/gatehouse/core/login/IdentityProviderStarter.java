package dev.gatehouse.core.login;

/**
 * One protocol's way to send a browser to an identity provider (SAML AuthnRequest, OIDC authorization request,
 * a social provider's OAuth): implemented by the protocol modules, chosen by {@code IdentityProviders}.
 */
public interface IdentityProviderStarter {
    /** {@code connectionId} is a {@code conn_…} ID or, for social providers, the provider's name. */
    IdentityProviderRedirect start(String environmentId, String connectionId, LoginTransaction login);
}
