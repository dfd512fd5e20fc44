package dev.gatehouse.core.ratelimit;

import java.time.Duration;

/** At most {@code permits} hits in any {@code window} (a sliding window: no burst at a window's edge). */
public record RateLimit(int permits, Duration window) {
    /** Bounds the stored hit list: a limit with more permits belongs in a counter, not a log. */
    public static final int MAX_PERMITS = 200;

    public RateLimit {
        if (permits < 1 || permits > MAX_PERMITS) {
            throw new IllegalArgumentException("permits must be between 1 and " + MAX_PERMITS);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the window must be positive");
        }
    }

    public static RateLimit perMinute(int permits) {
        return new RateLimit(permits, Duration.ofMinutes(1));
    }
}
