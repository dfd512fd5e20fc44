package dev.gatehouse.core.ratelimit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rate-limit arithmetic shared by the in-memory and the database limiters: the hits still inside
 * the window are kept (at most {@code permits} of them), a new hit is allowed while fewer than
 * {@code permits} remain, and a refusal says when the oldest remaining hit leaves the window.
 */
public final class SlidingWindowLog {
    private SlidingWindowLog() {}

    /** The decision and the hit log to store afterwards (unchanged on a refusal, apart from dropping expired hits). */
    public record Step(RateLimiter.Decision decision, List<Instant> hits) {}

    public static Step step(List<Instant> previousHits, Instant now, RateLimit limit) {
        Instant windowStart = now.minus(limit.window());
        List<Instant> live = new ArrayList<>();
        for (Instant hit : previousHits) {
            if (hit.isAfter(windowStart) && !hit.isAfter(now)) {
                live.add(hit);
            }
        }
        live.sort(null);
        while (live.size() > limit.permits()) {
            live.removeFirst();
        }
        if (live.size() >= limit.permits()) {
            Instant oldest = live.getFirst();
            return new Step(RateLimiter.Decision.refused(java.time.Duration.between(now, oldest.plus(limit.window()))),
                    List.copyOf(live));
        }
        live.add(now);
        return new Step(RateLimiter.Decision.ALLOWED, List.copyOf(live));
    }

    /** When a stored log can be forgotten: its newest hit has left the window. */
    public static Instant expiry(List<Instant> hits, Instant now, RateLimit limit) {
        Instant newest = hits.isEmpty() ? now : hits.getLast();
        return newest.plus(limit.window());
    }
}
