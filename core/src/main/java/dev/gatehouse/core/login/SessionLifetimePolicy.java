package dev.gatehouse.core.login;

import java.util.Optional;

/**
 * Port: the lifetimes of a session signed in to {@code organizationId} (none: the environment's), given the
 * environment's login settings. Implemented by the organizations' session policies (docs/DECISIONS.md D-AP6).
 */
@FunctionalInterface
public interface SessionLifetimePolicy {
    SessionLifetimes lifetimes(LoginSettings settings, Optional<String> organizationId);

    /** Every organization follows the environment's login settings. */
    SessionLifetimePolicy APPLICATION = (settings, organizationId) -> SessionLifetimes.of(settings);
}
