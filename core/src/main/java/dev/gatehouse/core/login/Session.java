package dev.gatehouse.core.login;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A signed-in browser ({@code ses_…}, the {@code sid} claim). Active until revoked, idle for too long, or past its
 * absolute lifetime. The cookie value is known only to the browser; the row keeps its SHA-256.
 */
public record Session(
        String id,
        String environmentId,
        String userId,
        Optional<String> organizationId,
        String cookieHash,
        List<String> amr,
        Optional<String> ipAddress,
        Optional<String> userAgent,
        Instant createTime,
        Instant lastActiveTime,
        Instant idleExpireTime,
        Instant absoluteExpireTime,
        Optional<Instant> revokeTime,
        Optional<String> revokeReason) {

    public Session {
        amr = List.copyOf(amr);
    }

    public enum Status { ACTIVE, EXPIRED, REVOKED }

    /** Activity (a token refresh) is written at most this often per session: the idle expiry may lag by as much. */
    public static final java.time.Duration ACTIVITY_GRANULARITY = java.time.Duration.ofMinutes(1);

    public Status status(Instant now) {
        if (revokeTime.isPresent()) {
            return Status.REVOKED;
        }
        return now.isBefore(idleExpireTime) && now.isBefore(absoluteExpireTime) ? Status.ACTIVE : Status.EXPIRED;
    }

    public boolean isActive(Instant now) {
        return status(now) == Status.ACTIVE;
    }

    /** Whether the session is still alive when judged by {@code lifetimes} (possibly stricter than when it began). */
    public boolean isActiveUnder(SessionLifetimes lifetimes, Instant now) {
        return isActive(now) && now.isBefore(createTime.plus(lifetimes.absolute()))
                && now.isBefore(lastActiveTime.plus(lifetimes.idle()));
    }

    /** The absolute expiry under {@code lifetimes}: never later than the current one. */
    public Instant absoluteExpiryUnder(SessionLifetimes lifetimes) {
        Instant limit = createTime.plus(lifetimes.absolute());
        return limit.isBefore(absoluteExpireTime) ? limit : absoluteExpireTime;
    }

    /** The idle expiry after activity at {@code now}: the same idle window again, never past the absolute expiry. */
    public Instant idleExpiryAfterActivity(Instant now) {
        Instant next = now.plus(java.time.Duration.between(lastActiveTime, idleExpireTime));
        return next.isBefore(absoluteExpireTime) ? next : absoluteExpireTime;
    }
}
