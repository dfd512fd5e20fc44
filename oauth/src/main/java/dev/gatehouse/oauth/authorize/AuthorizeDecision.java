package dev.gatehouse.oauth.authorize;

import dev.gatehouse.core.login.AuthorizeRequest;
import dev.gatehouse.core.login.ClientRedirect;

/** The outcome of checking an authorize request's parameters. */
public sealed interface AuthorizeDecision {
    /** The client or redirect URI cannot be trusted: show an error page, never redirect (RFC 6749 §4.1.2.1). */
    record ErrorPage(String message, String reason) implements AuthorizeDecision {}

    /** Any other error goes back to the registered redirect URI. */
    record RedirectError(ClientRedirect redirect, String reason) implements AuthorizeDecision {}

    record Valid(AuthorizeRequest request) implements AuthorizeDecision {}
}
