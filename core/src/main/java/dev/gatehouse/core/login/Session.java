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

    public Status status(Instant now) {
        if (revokeTime.isPresent()) {
            return Status.REVOKED;
        }
        return now.isBefore(idleExpireTime) && now.isBefore(absoluteExpireTime) ? Status.ACTIVE : Status.EXPIRED;
    }

    public boolean isActive(Instant now) {
        return status(now) == Status.ACTIVE;
    }
}
