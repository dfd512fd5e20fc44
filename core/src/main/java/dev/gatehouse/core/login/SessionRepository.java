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

    /** Marks activity: moves the idle expiry forward (never past the absolute one) and sets the current organization. */
    void touch(String environmentId, String sessionId, Optional<String> organizationId, Instant now, Instant idleExpireTime);

    /** Revokes an active session; false when it was already revoked or does not exist. */
    boolean revoke(String environmentId, String sessionId, Instant now, String reason);

    int revokeAllForUser(String environmentId, String userId, Instant now, String reason);

    /** Housekeeping, every environment: deletes sessions that ended before {@code cutoff} (with their grants). */
    int deleteEndedBefore(Instant cutoff);
}
