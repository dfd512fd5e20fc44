package dev.gatehouse.core.ratelimit;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A rate limiter of this node only (nothing shared between nodes): for hot paths where a database
 * round trip per request would cost too much (e.g. per-IP limits of the token endpoint). At most
 * {@code maxKeys} keys are tracked; beyond that, keys whose window has passed are dropped first, and
 * if none has, the map is cleared (the limiter then forgets, it never refuses for lack of room).
 */
public final class InMemoryRateLimiter implements RateLimiter {
    private final Clock clock;
    private final int maxKeys;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(List<Instant> hits, Instant expiresAt) {}

    public InMemoryRateLimiter(Clock clock, int maxKeys) {
        this.clock = clock;
        this.maxKeys = maxKeys;
    }

    @Override
    public Decision acquire(String environmentId, String key, RateLimit limit) {
        Instant now = clock.instant();
        if (entries.size() >= maxKeys) {
            entries.values().removeIf(e -> !e.expiresAt().isAfter(now));
            if (entries.size() >= maxKeys) {
                entries.clear();
            }
        }
        Decision[] decision = new Decision[1];
        entries.compute(environmentId + "\u0000" + key, (k, previous) -> {
            SlidingWindowLog.Step step = SlidingWindowLog.step(previous == null ? List.of() : previous.hits(), now, limit);
            decision[0] = step.decision();
            return new Entry(step.hits(), SlidingWindowLog.expiry(step.hits(), now, limit));
        });
        return decision[0];
    }
}
