package dev.gatehouse.http.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SimulatedIdpSessionTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void aSessionSurvivesTheCookieAndIsForItsAddressOnly() {
        SimulatedIdpSession session = new SimulatedIdpSession("ada@example.com", "Ada María", "Lovelace.Byron",
                NOW.plusSeconds(300));

        Optional<SimulatedIdpSession> decoded = SimulatedIdpSession.decode(session.encode(), NOW);

        assertThat(decoded).contains(session);
        assertThat(session.encode()).as("a valid cookie value").matches("[A-Za-z0-9_.-]+");
        assertThat(session.isFor(Optional.of(" ADA@example.com "))).isTrue();
        assertThat(session.isFor(Optional.of("grace@example.com"))).isFalse();
        assertThat(session.isFor(Optional.empty())).isFalse();
    }

    @Test
    void expiredMalformedOrOversizedValuesAreNoSession() {
        String expired = new SimulatedIdpSession("a@example.com", "A", "B", NOW).encode();

        assertThat(SimulatedIdpSession.decode(expired, NOW)).isEmpty();
        assertThat(SimulatedIdpSession.decode("", NOW)).isEmpty();
        assertThat(SimulatedIdpSession.decode("a.b.c", NOW)).isEmpty();
        assertThat(SimulatedIdpSession.decode("a.b.c.not-a-number", NOW)).isEmpty();
        assertThat(SimulatedIdpSession.decode("%%%.b.c." + NOW.plusSeconds(60).getEpochSecond(), NOW)).isEmpty();
        assertThat(SimulatedIdpSession.decode("a.b.c." + Long.MAX_VALUE, NOW)).isEmpty();
        assertThat(SimulatedIdpSession.decode("a".repeat(SimulatedIdpSession.MAX_COOKIE_LENGTH) + ".b.c.1", NOW)).isEmpty();
        assertThat(SimulatedIdpSession.decode(null, NOW)).isEmpty();
    }
}
