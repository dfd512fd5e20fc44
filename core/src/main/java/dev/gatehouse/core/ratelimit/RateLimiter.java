package dev.gatehouse.core.ratelimit;

import java.time.Duration;

/**
 * Counts hits per key and says whether one more is allowed. Keys are the caller's (e.g.
 * {@code "passwordless-email:ann@example.com"}, {@code "login-ip:203.0.113.9"}); the environment
 * scopes them. A refused hit is not counted, so a client that keeps retrying is let in again as
 * soon as its oldest counted hit leaves the window.
 */
public interface RateLimiter {

    /** Counts one hit of {@code key} if {@code limit} allows it. */
    Decision acquire(String environmentId, String key, RateLimit limit);

    /** Allowed, or refused with the time after which the next hit would be allowed (for {@code Retry-After}). */
    record Decision(boolean allowed, Duration retryAfter) {
        public static final Decision ALLOWED = new Decision(true, Duration.ZERO);

        public static Decision refused(Duration retryAfter) {
            return new Decision(false, retryAfter.isNegative() ? Duration.ZERO : retryAfter);
        }

        /** Whole seconds, rounded up and at least 1: what a {@code Retry-After} header carries. */
        public long retryAfterSeconds() {
            long seconds = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
            return Math.max(1, seconds);
        }
    }
}
