package dev.gatehouse.core.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A simulator connection needs no IdP details; any other connection does (D-SIM2). */
class SimulatorConnectionTest {
    private static Connection connection(ConnectionProvider provider, boolean enabled) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new Connection("conn_1", "env_1", "org_1", ConnectionType.OIDC, provider, enabled, false, Optional.empty(),
                Map.of(), OidcSettings.empty(), Optional.empty(), now, now);
    }

    @Test
    void aSimulatorConnectionIsCompletedWithoutIdpDetailsAndActiveOnceEnabled() {
        assertThat(connection(ConnectionProvider.IDP_SIMULATOR, false).status()).isEqualTo(ConnectionStatus.COMPLETED);
        assertThat(connection(ConnectionProvider.IDP_SIMULATOR, false).isActive()).isFalse();
        assertThat(connection(ConnectionProvider.IDP_SIMULATOR, true).isActive()).isTrue();
        assertThat(connection(ConnectionProvider.IDP_SIMULATOR, true).isSimulator()).isTrue();
    }

    @Test
    void anEmptyConnectionOfARealProviderIsADraftAndNeverActive() {
        assertThat(connection(ConnectionProvider.OKTA, true).status()).isEqualTo(ConnectionStatus.DRAFT);
        assertThat(connection(ConnectionProvider.OKTA, true).isActive()).isFalse();
        assertThat(connection(ConnectionProvider.OKTA, true).isSimulator()).isFalse();
    }
}
