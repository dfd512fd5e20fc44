package dev.gatehouse.core.login;

import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import java.time.Instant;
import java.util.Optional;

public interface SessionRepository {
    void insert(Session session);

    Optional<Session> find(String environmentId, String sessionId);

    /** By the SHA-256 of the cookie value: the cookie names no environment, the hash is globally unique. */
    Optional<Session> findByCookieHash(String cookieHash);

    /** The user's sessions matching {@code filter}, where statuses are judged at {@code now}. */
    Page<Session> listForUser(String environmentId, String userId, SessionFilter filter, Instant now, PageRequest page);

    /**
     * A sign-in through the session: marks activity, sets the idle and absolute expiries (the caller keeps the idle one
     * within the absolute one) and the current organization.
     */
    void touch(String environmentId, String sessionId, Optional<String> organizationId, Instant now, Instant idleExpireTime,
               Instant absoluteExpireTime);

    /**
     * Activity of a live session (a token refresh): moves the idle expiry to {@code idleExpireTime}, only if the last
     * recorded activity is older than {@code lastActiveBefore} (so a busy session is written at most that often).
     */
    boolean recordActivity(String environmentId, String sessionId, Instant now, Instant idleExpireTime,
                           Instant lastActiveBefore);

    /** The organization's sessions that are active at {@code now} (the current organization of the session). */
    java.util.List<Session> listActiveInOrganization(String environmentId, String organizationId, Instant now);

    /** Shortens a session: sets both expiries (a session policy became stricter). */
    void limit(String environmentId, String sessionId, Instant idleExpireTime, Instant absoluteExpireTime);

    /** Revokes an active session; false when it was already revoked or does not exist. */
    boolean revoke(String environmentId, String sessionId, Instant now, String reason);

    int revokeAllForUser(String environmentId, String userId, Instant now, String reason);

    /** Housekeeping, every environment: deletes sessions that ended before {@code cutoff} (with their grants). */
    int deleteEndedBefore(Instant cutoff);
}
