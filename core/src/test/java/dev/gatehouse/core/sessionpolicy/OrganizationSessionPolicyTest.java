package dev.gatehouse.core.sessionpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.login.SessionLifetimes;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OrganizationSessionPolicyTest {
    private static final SessionLifetimes ENVIRONMENT = new SessionLifetimes(Duration.ofDays(30), Duration.ofDays(7));

    private static OrganizationSessionPolicy custom(SessionTimeout absolute, boolean idleEnabled,
                                                    Optional<SessionTimeout> idle) {
        return new OrganizationSessionPolicy("env_1", "org_1", SessionPolicySource.CUSTOM, Optional.of(absolute),
                idleEnabled, idle, Optional.empty());
    }

    @Test
    void applicationFollowsTheEnvironment() {
        assertThat(OrganizationSessionPolicy.application("env_1", "org_1").lifetimes(ENVIRONMENT)).isEqualTo(ENVIRONMENT);
    }

    @Test
    void customAppliesTheStricterOfEachTimeout() {
        var policy = custom(new SessionTimeout(6, SessionTimeUnit.HOURS), true,
                Optional.of(new SessionTimeout(84, SessionTimeUnit.MINUTES)));
        assertThat(policy.lifetimes(ENVIRONMENT))
                .isEqualTo(new SessionLifetimes(Duration.ofHours(6), Duration.ofMinutes(84)));

        var longer = custom(new SessionTimeout(90, SessionTimeUnit.DAYS), true,
                Optional.of(new SessionTimeout(1, SessionTimeUnit.HOURS)));
        assertThat(longer.lifetimes(ENVIRONMENT)).as("never longer than the environment's")
                .isEqualTo(new SessionLifetimes(Duration.ofDays(30), Duration.ofHours(1)));
    }

    @Test
    void customWithoutAnIdleTimeoutKeepsTheEnvironmentsIdleTimeout() {
        var policy = custom(new SessionTimeout(12, SessionTimeUnit.HOURS), false, Optional.empty());
        assertThat(policy.lifetimes(ENVIRONMENT)).isEqualTo(new SessionLifetimes(Duration.ofHours(12), Duration.ofDays(7)));
    }

    @Test
    void durationsAreShownInTheLargestExactUnit() {
        assertThat(SessionTimeUnit.largestExact(Duration.ofDays(30))).isEqualTo(new SessionTimeout(30, SessionTimeUnit.DAYS));
        assertThat(SessionTimeUnit.largestExact(Duration.ofHours(36))).isEqualTo(new SessionTimeout(36, SessionTimeUnit.HOURS));
        assertThat(SessionTimeUnit.largestExact(Duration.ofMinutes(90))).isEqualTo(new SessionTimeout(90, SessionTimeUnit.MINUTES));
        assertThat(SessionTimeUnit.largestExact(Duration.ofSeconds(301))).as("rounded up to whole minutes")
                .isEqualTo(new SessionTimeout(6, SessionTimeUnit.MINUTES));
    }
}
