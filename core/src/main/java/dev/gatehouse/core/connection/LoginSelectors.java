package dev.gatehouse.core.connection;

import java.util.Optional;

/**
 * The connection selectors of an authorization request (spec-sso.md §1.2), as received: {@code provider},
 * {@code connection_id}, {@code organization_id}, {@code domain} and {@code login_hint}. Blank values count as absent.
 */
public record LoginSelectors(Optional<String> provider, Optional<String> connectionId, Optional<String> organizationId,
                             Optional<String> domain, Optional<String> loginHint) {
    public LoginSelectors {
        provider = present(provider);
        connectionId = present(connectionId);
        organizationId = present(organizationId);
        domain = present(domain);
        loginHint = present(loginHint);
    }

    public static LoginSelectors none() {
        return new LoginSelectors(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static Optional<String> present(Optional<String> value) {
        return value == null ? Optional.empty() : value.map(String::strip).filter(v -> !v.isEmpty());
    }
}
