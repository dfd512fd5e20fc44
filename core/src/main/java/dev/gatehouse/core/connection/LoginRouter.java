package dev.gatehouse.core.connection;

/**
 * SEAM for {@code /oauth/authorize} and the hosted email-first page: picks the connection of an authorization
 * request. See {@link ConnectionLoginRouter} for the precedence and the refusals.
 */
public interface LoginRouter {
    LoginRoute route(String environmentId, LoginSelectors selectors);
}
