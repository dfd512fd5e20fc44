package dev.gatehouse.core.webhook;

import dev.gatehouse.core.event.Event;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The delivery queue and log. A delivery is one (endpoint, event) pair, created by the outbox in the
 * event's transaction; each try is an {@link Attempt}.
 */
public interface WebhookDeliveries {
    /** A due delivery, leased to the caller until the lease passed to {@link #claimDue}. */
    record Claimed(long deliveryId, WebhookEndpoint endpoint, Event event, int attemptsSoFar) {}

    /** One try. {@code id} is 0 until stored. */
    record Attempt(long id, long deliveryId, String environmentId, String endpointId, String eventId, String eventType,
                   int attemptNumber, Instant time, boolean succeeded, OptionalInt responseCode, long latencyMillis,
                   Optional<String> responseExcerpt, Optional<String> error) {}

    /**
     * Leases up to {@code limit} due deliveries of enabled endpoints, oldest event first, skipping rows
     * other workers hold and any delivery whose (endpoint, organization) has an earlier pending delivery.
     */
    List<Claimed> claimDue(Instant now, int limit, Instant leaseUntil);

    /** Stores the attempt, marks the delivery done and clears the endpoint's failure state. */
    void recordSuccess(Attempt attempt);

    /** {@link #recordSuccess} for several attempts, in one transaction where the store can. */
    default void recordSuccesses(List<Attempt> attempts) {
        attempts.forEach(this::recordSuccess);
    }

    /**
     * Stores the attempt; the delivery is retried at {@code retryAt} or, if empty, given up. Returns
     * the time since which the endpoint has been failing (this attempt's time if it was healthy).
     */
    Instant recordFailure(Attempt attempt, Optional<Instant> retryAt);

    /** Attempts of an endpoint, newest first, with id below {@code beforeId} (Long.MAX_VALUE for the first page). */
    List<Attempt> attempts(String environmentId, String endpointId, int limit, long beforeId);

    /** Queues the event again for the endpoint, due now; false if the environment has no such event. */
    boolean resend(String environmentId, String endpointId, String eventId, Instant now);

    /** Deletes attempts and finished deliveries older than {@code before}, and events without deliveries older than it. */
    long purge(Instant before);
}
