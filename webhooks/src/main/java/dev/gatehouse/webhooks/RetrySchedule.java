package dev.gatehouse.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When a failed delivery is tried again (spec §6.5): attempt 1 at once, then 5 s, 5 min, 30 min, 2 h,
 * 5 h, 10 h and 10 h after the previous failure; after the 8th failure the delivery is given up.
 * An endpoint that has failed without a single success for {@link #disableAfter} is disabled.
 */
public record RetrySchedule(List<Duration> delays, Duration disableAfter) {
    public static final RetrySchedule STANDARD = new RetrySchedule(List.of(
            Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
            Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10)),
            Duration.ofDays(3));

    public RetrySchedule {
        delays = List.copyOf(delays);
    }

    public int maxAttempts() {
        return delays.size();
    }

    /** When attempt {@code failedAttempt + 1} is due, given that attempt {@code failedAttempt} (1-based) failed at {@code failedAt}; empty: give up. */
    public Optional<Instant> nextAttempt(int failedAttempt, Instant failedAt) {
        if (failedAttempt < 1 || failedAttempt >= delays.size()) {
            return Optional.empty();
        }
        return Optional.of(failedAt.plus(delays.get(failedAttempt)));
    }
}
