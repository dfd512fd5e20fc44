package dev.gatehouse.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    static final Instant T = Instant.parse("2025-06-01T00:00:00Z");

    @Test
    void nextAttemptWhenAttemptsFailThenSpecScheduleThenGiveUpAfterEighth() {
        RetrySchedule s = RetrySchedule.STANDARD;

        assertThat(s.maxAttempts()).isEqualTo(8);
        assertThat(s.nextAttempt(1, T)).contains(T.plusSeconds(5));
        assertThat(s.nextAttempt(2, T)).contains(T.plus(Duration.ofMinutes(5)));
        assertThat(s.nextAttempt(3, T)).contains(T.plus(Duration.ofMinutes(30)));
        assertThat(s.nextAttempt(4, T)).contains(T.plus(Duration.ofHours(2)));
        assertThat(s.nextAttempt(5, T)).contains(T.plus(Duration.ofHours(5)));
        assertThat(s.nextAttempt(6, T)).contains(T.plus(Duration.ofHours(10)));
        assertThat(s.nextAttempt(7, T)).contains(T.plus(Duration.ofHours(10)));
        assertThat(s.nextAttempt(8, T)).isEmpty();
        assertThat(s.disableAfter()).isEqualTo(Duration.ofDays(3));
    }
}
