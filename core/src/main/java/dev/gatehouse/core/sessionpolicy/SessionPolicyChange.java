package dev.gatehouse.core.sessionpolicy;

import java.util.Optional;

/**
 * An UpdateOrganizationSessionPolicy request as parsed at the edge: the source is required (empty = unspecified on
 * the wire); the timeouts matter only for CUSTOM.
 */
public record SessionPolicyChange(
        Optional<SessionPolicySource> source,
        Optional<Integer> absoluteTimeout,
        Optional<SessionTimeUnit> absoluteUnit,
        Optional<Boolean> idleEnabled,
        Optional<Integer> idleTimeout,
        Optional<SessionTimeUnit> idleUnit) {}
