package dev.gatehouse.core.connection;

/** The protocol of an organization's SSO connection. Social logins are environment-level and not connections here. */
public enum ConnectionType {
    SAML,
    OIDC
}
