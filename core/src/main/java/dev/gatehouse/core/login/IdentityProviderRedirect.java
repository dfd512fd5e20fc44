package dev.gatehouse.core.login;

import java.util.Map;

/** How the browser gets to an identity provider's sign-in: a redirect, or a form that posts itself (SAML POST). */
public sealed interface IdentityProviderRedirect {
    record Location(String url) implements IdentityProviderRedirect {}

    record PostForm(String action, Map<String, String> fields) implements IdentityProviderRedirect {
        public PostForm {
            fields = Map.copyOf(fields);
        }
    }

    /** The connection cannot be used for sign-in now: the app gets {@code errorCode} (a seed code). */
    record Unavailable(String errorCode, String description, String reason) implements IdentityProviderRedirect {}
}
