package dev.gatehouse.core.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionLifetimesTest {
    private static final Instant CREATED = Instant.parse("2025-03-01T08:00:00Z");

    /** Created at {@link #CREATED}, last active {@code activeAfter} later, with a 30-minute idle window. */
    private static Session session(Duration activeAfter, Duration absolute) {
        Instant active = CREATED.plus(activeAfter);
        Instant absoluteExpiry = CREATED.plus(absolute);
        Instant idle = active.plus(Duration.ofMinutes(30));
        return new Session("ses_1", "env_1", "usr_1", Optional.of("org_1"), "hash", List.of("otp"), Optional.empty(),
                Optional.empty(), CREATED, active, idle.isBefore(absoluteExpiry) ? idle : absoluteExpiry, absoluteExpiry,
                Optional.empty(), Optional.empty());
    }

    @Test
    void activityStartsTheSameIdleWindowAgainButNeverPassesTheAbsoluteExpiry() {
        Session session = session(Duration.ZERO, Duration.ofHours(2));
        assertThat(session.idleExpiryAfterActivity(CREATED.plus(Duration.ofMinutes(20))))
                .isEqualTo(CREATED.plus(Duration.ofMinutes(50)));
        assertThat(session.idleExpiryAfterActivity(CREATED.plus(Duration.ofMinutes(110))))
                .isEqualTo(CREATED.plus(Duration.ofHours(2)));
    }

    @Test
    void aStricterPolicyJudgesTheSessionFromItsStartAndItsLastActivity() {
        Session session = session(Duration.ofMinutes(50), Duration.ofDays(30));
        Instant now = CREATED.plus(Duration.ofMinutes(70));
        assertThat(session.isActive(now)).isTrue();
        assertThat(session.isActiveUnder(new SessionLifetimes(Duration.ofHours(2), Duration.ofMinutes(30)), now)).isTrue();
        assertThat(session.isActiveUnder(new SessionLifetimes(Duration.ofHours(1), Duration.ofMinutes(30)), now))
                .as("past the absolute timeout").isFalse();
        assertThat(session.isActiveUnder(new SessionLifetimes(Duration.ofHours(2), Duration.ofMinutes(15)), now))
                .as("idle too long").isFalse();
        assertThat(session.absoluteExpiryUnder(new SessionLifetimes(Duration.ofHours(1), Duration.ofMinutes(15))))
                .isEqualTo(CREATED.plus(Duration.ofHours(1)));
        assertThat(session.absoluteExpiryUnder(new SessionLifetimes(Duration.ofDays(90), Duration.ofDays(7))))
                .as("never later than it was").isEqualTo(session.absoluteExpireTime());
    }
}
