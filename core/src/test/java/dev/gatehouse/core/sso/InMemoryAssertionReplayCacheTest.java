package dev.gatehouse.core.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryAssertionReplayCacheTest {
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void firstUseWhenSameKeyTwiceThenSecondIsReplayButOtherScopesAreNot() {
        InMemoryAssertionReplayCache cache = new InMemoryAssertionReplayCache();

        assertThat(cache.firstUse("env_1", "conn_1", "_a", NOW)).isTrue();
        assertThat(cache.firstUse("env_1", "conn_1", "_a", NOW)).isFalse();
        assertThat(cache.firstUse("env_2", "conn_1", "_a", NOW)).isTrue();
        assertThat(cache.firstUse("env_1", "conn_2", "_a", NOW)).isTrue();
    }

    @Test
    void purgeExpiredWhenSomeExpiredThenOnlyThoseRemovedUpToLimit() {
        InMemoryAssertionReplayCache cache = new InMemoryAssertionReplayCache();
        cache.firstUse("env_1", "conn_1", "_old1", NOW.minusSeconds(2));
        cache.firstUse("env_1", "conn_1", "_old2", NOW.minusSeconds(1));
        cache.firstUse("env_1", "conn_1", "_live", NOW.plusSeconds(60));

        assertThat(cache.purgeExpired(NOW, 1)).isEqualTo(1);
        assertThat(cache.purgeExpired(NOW, 10)).isEqualTo(1);
        assertThat(cache.firstUse("env_1", "conn_1", "_live", NOW)).isFalse();
        assertThat(cache.firstUse("env_1", "conn_1", "_old1", NOW)).isTrue();
    }
}
