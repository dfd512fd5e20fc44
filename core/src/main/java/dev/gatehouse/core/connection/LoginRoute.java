package dev.gatehouse.core.connection;

/** Where an authorization request goes, decided by {@link LoginRouter}. */
public sealed interface LoginRoute {
    /** To this enterprise connection (enabled and completely configured). */
    record ToConnection(Connection connection) implements LoginRoute {}

    /** To a social provider: one of google, microsoft, github, gitlab, linkedin, salesforce (lower case). */
    record ToSocialProvider(String provider) implements LoginRoute {}

    /** Nothing selects a connection: the hosted email-first page (which routes by domain again). */
    record ToHostedLogin() implements LoginRoute {}

    /**
     * The request cannot be routed: {@code errorCode} is one of spec-sso.md §1.5's codes, for the redirect URI's
     * {@code error}; {@code description} is for its {@code error_description}.
     */
    record Refused(String errorCode, String description) implements LoginRoute {}
}
