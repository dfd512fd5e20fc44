package dev.gatehouse.core.connection;

/** How Gatehouse authenticates to an OIDC IdP's token endpoint (OIDC Core §9). */
public enum TokenAuthMethod {
    /** {@code client_secret_post}: credentials as form parameters (wire: URL_PARAMS). */
    CLIENT_SECRET_POST,
    /** {@code client_secret_basic}: HTTP Basic (wire: BASIC_AUTH). */
    CLIENT_SECRET_BASIC
}
