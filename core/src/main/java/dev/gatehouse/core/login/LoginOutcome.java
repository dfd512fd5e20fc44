package dev.gatehouse.core.login;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What the hosted login answers to a step: show a page, send the browser somewhere, or refuse. */
public sealed interface LoginOutcome {
    /** Show the transaction's current step; {@code error} is a message for the user (never an internal reason). */
    record ShowStep(LoginTransaction transaction, LoginSettings settings, EmailChallenges.Method method,
                    List<OrganizationChoice> organizations,
                    Optional<String> error, boolean sent) implements LoginOutcome {}

    /** Back to the client: a code, or an error. {@code newSessionCookie} must be set on the browser when present. */
    record Redirect(ClientRedirect redirect, Optional<String> newSessionCookie) implements LoginOutcome {}

    /** Off to an identity provider (an enterprise connection or a social provider) for this login. */
    record ToIdentityProvider(LoginTransaction transaction, IdentityProviderRedirect redirect) implements LoginOutcome {}

    /** A page-level failure that must not redirect (unknown or expired login, another browser, bad CSRF token). */
    record Invalid(String message) implements LoginOutcome {}

    /** Too many attempts from this address or account. */
    record Throttled(Duration retryAfter) implements LoginOutcome {}

    /**
     * The end of a connection test started from the admin portal (D-AP4): what the identity provider vouched for, or
     * why the sign-in failed ({@code errorCode} a seed code, {@code reason} the detail an admin needs to fix it).
     * {@code transaction}'s redirect URI is the portal page to go back to.
     */
    record ConnectionTested(LoginTransaction transaction, String connectionId, Optional<FederatedIdentity> identity,
                            Optional<String> errorCode, Optional<String> errorDescription,
                            Optional<String> reason) implements LoginOutcome {
        public boolean succeeded() {
            return identity.isPresent();
        }
    }

    record OrganizationChoice(String id, String name) {}
}
