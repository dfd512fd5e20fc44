package dev.gatehouse.core.sessionpolicy;

import dev.gatehouse.core.login.SessionLifetimes;
import java.time.Instant;
import java.util.Optional;

/**
 * An organization's session policy. APPLICATION (the default, also for organizations without a stored policy)
 * follows the environment's login settings; CUSTOM has an absolute timeout and optionally an idle timeout, and the
 * stricter of each and the environment's applies (docs/DECISIONS.md D-AP6). {@code idle} is present only when
 * {@code idleEnabled}.
 */
public record OrganizationSessionPolicy(
        String environmentId,
        String organizationId,
        SessionPolicySource source,
        Optional<SessionTimeout> absolute,
        boolean idleEnabled,
        Optional<SessionTimeout> idle,
        Optional<Instant> updateTime) {

    /** What an organization without a stored policy has. */
    public static OrganizationSessionPolicy application(String environmentId, String organizationId) {
        return new OrganizationSessionPolicy(environmentId, organizationId, SessionPolicySource.APPLICATION,
                Optional.empty(), false, Optional.empty(), Optional.empty());
    }

    /** The lifetimes of sessions in this organization, given the environment's. */
    public SessionLifetimes lifetimes(SessionLifetimes application) {
        if (source == SessionPolicySource.APPLICATION || absolute.isEmpty()) {
            return application;
        }
        SessionLifetimes custom = new SessionLifetimes(absolute.get().duration(),
                idle.filter(i -> idleEnabled).map(SessionTimeout::duration).orElse(application.idle()));
        return application.stricter(custom);
    }
}
