package dev.gatehouse.core.portal;

import java.time.Instant;
import java.util.Optional;

/** Storage port for portal sessions. A session's features are its link's; deleting the link deletes the session. */
public interface PortalSessionRepository {
    void insert(PortalSession session, String ipAddress);

    /** By the SHA-256 of the cookie value (globally unique), with the features of its link. */
    Optional<PortalSession> findByCookieHash(String cookieHash);

    /** Housekeeping, every environment: deletes sessions that ended before {@code cutoff}. */
    int deleteExpiredBefore(Instant cutoff);
}
