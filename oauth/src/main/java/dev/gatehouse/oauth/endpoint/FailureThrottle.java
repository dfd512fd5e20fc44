package dev.gatehouse.oauth.endpoint;

import dev.gatehouse.core.ratelimit.InMemoryRateLimiter;
import dev.gatehouse.core.ratelimit.RateLimit;
import dev.gatehouse.core.ratelimit.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brute-force protection of the token endpoint: failed requests are counted per client IP and per client ID (on
 * this node: a database round trip per token request would cost too much); once a key has too many failures in a
 * minute, every request of that key is answered 429 until the window frees up. Successful requests are never
 * counted, so legitimate load is not limited.
 */
final class FailureThrottle {
    static final RateLimit FAILURES_PER_IP = RateLimit.perMinute(30);
    static final RateLimit FAILURES_PER_CLIENT = RateLimit.perMinute(100);
    static final int MAX_KEYS = 100_000;
    private static final String NO_ENVIRONMENT = "";

    private final Clock clock;
    private final RateLimiter failures;
    private final Map<String, Instant> blockedUntil = new ConcurrentHashMap<>();

    FailureThrottle(Clock clock) {
        this.clock = clock;
        this.failures = new InMemoryRateLimiter(clock, MAX_KEYS);
    }

    /** How long {@code ip} (and {@code clientId}, when known) must still wait, or empty when it may go on. */
    Optional<Duration> blocked(String ip, Optional<String> clientId) {
        Instant now = clock.instant();
        Optional<Duration> byIp = remaining("ip:" + ip, now);
        return byIp.isPresent() ? byIp : clientId.flatMap(id -> remaining("client:" + id, now));
    }

    void recordFailure(String ip, Optional<String> clientId) {
        count("ip:" + ip, FAILURES_PER_IP);
        clientId.ifPresent(id -> count("client:" + id, FAILURES_PER_CLIENT));
    }

    private void count(String key, RateLimit limit) {
        RateLimiter.Decision decision = failures.acquire(NO_ENVIRONMENT, key, limit);
        if (!decision.allowed()) {
            if (blockedUntil.size() >= MAX_KEYS) {
                blockedUntil.clear();
            }
            blockedUntil.put(key, clock.instant().plus(decision.retryAfter()));
        }
    }

    private Optional<Duration> remaining(String key, Instant now) {
        Instant until = blockedUntil.get(key);
        if (until == null) {
            return Optional.empty();
        }
        if (!until.isAfter(now)) {
            blockedUntil.remove(key, until);
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, until));
    }
}
