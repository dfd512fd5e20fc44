package dev.gatehouse.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SlidingWindowLogTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock, 100);
    private final RateLimit twoPerMinute = RateLimit.perMinute(2);

    @Test
    void acquireWhenWithinLimitThenAllowedAndThirdRefusedUntilOldestLeavesWindow() {
        assertThat(limiter.acquire("env", "k", twoPerMinute).allowed()).isTrue();
        clock.advance(Duration.ofSeconds(40));
        assertThat(limiter.acquire("env", "k", twoPerMinute).allowed()).isTrue();
        clock.advance(Duration.ofSeconds(10));

        RateLimiter.Decision third = limiter.acquire("env", "k", twoPerMinute);

        assertThat(third.allowed()).isFalse();
        assertThat(third.retryAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(third.retryAfterSeconds()).isEqualTo(10);
        clock.advance(Duration.ofSeconds(10));
        assertThat(limiter.acquire("env", "k", twoPerMinute).allowed()).isTrue();
        assertThat(limiter.acquire("env", "k", twoPerMinute).allowed()).isFalse();
    }

    @Test
    void acquireWhenRefusedThenRefusalIsNotCounted() {
        limiter.acquire("env", "k", twoPerMinute);
        limiter.acquire("env", "k", twoPerMinute);
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.acquire("env", "k", twoPerMinute).allowed()).isFalse();
        }
        clock.advance(Duration.ofSeconds(60));

        assertThat(limiter.acquire("env", "k", twoPerMinute).allowed()).isTrue();
    }

    @Test
    void acquireWhenOtherKeyOrEnvironmentThenCountedSeparately() {
        limiter.acquire("env", "k", RateLimit.perMinute(1));

        assertThat(limiter.acquire("env", "other", RateLimit.perMinute(1)).allowed()).isTrue();
        assertThat(limiter.acquire("env2", "k", RateLimit.perMinute(1)).allowed()).isTrue();
        assertThat(limiter.acquire("env", "k", RateLimit.perMinute(1)).allowed()).isFalse();
    }

    @Test
    void retryAfterSecondsWhenFractionThenRoundedUpAndAtLeastOne() {
        assertThat(RateLimiter.Decision.refused(Duration.ofMillis(1500)).retryAfterSeconds()).isEqualTo(2);
        assertThat(RateLimiter.Decision.refused(Duration.ZERO).retryAfterSeconds()).isEqualTo(1);
    }
}
