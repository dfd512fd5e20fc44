package dev.gatehouse.core.connection;

/** The {@code error} codes of spec-sso.md §1.5 that login routing answers with. */
public final class LoginErrors {
    public static final String INVALID_CONNECTION_SELECTOR = "invalid_connection_selector";
    public static final String NO_ACTIVE_CONNECTIONS = "no_active_connections";
    public static final String NO_CONFIGURED_CONNECTIONS = "no_configured_connections";
    public static final String CONNECTION_NOT_ACTIVE = "connection_not_active";
    public static final String INVALID_ORGANIZATION_ID = "invalid_organization_id";
    public static final String INVALID_CONNECTION_ID = "invalid_connection_id";
    public static final String DOMAIN_NOT_FOUND = "domain_not_found";
    public static final String INVALID_USER_DOMAIN = "invalid_user_domain";

    private LoginErrors() {}
}
