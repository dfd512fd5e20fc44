package dev.gatehouse.core.sso;

import java.time.Instant;

/**
 * Remembers the IDs of accepted SAML assertions until they expire, so that an assertion is accepted once
 * only, whichever node receives it. Implementations must make {@link #firstUse} atomic across nodes (the
 * database's primary key does it in {@code store}).
 */
public interface AssertionReplayCache {
    /**
     * Records that {@code assertionId}, issued to {@code connectionId}, was used. Returns true the first time
     * and false when the ID was already recorded (a replay). The record may be dropped after {@code expiresAt}.
     */
    boolean firstUse(String environmentId, String connectionId, String assertionId, Instant expiresAt);

    /** Deletes the records that expired before {@code now}, at most {@code limit} of them; returns how many. */
    int purgeExpired(Instant now, int limit);
}
