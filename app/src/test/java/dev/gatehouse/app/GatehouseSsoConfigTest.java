package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GATEHOUSE_SSO_*: private metadata URLs, the metadata refresh interval and the SAML clock skew. */
class GatehouseSsoConfigTest {
    private static SsoSettings sso(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("GATEHOUSE_DATA_DIR", "/tmp/gatehouse-config-test"));
        env.putAll(extra);
        return GatehouseConfig.fromEnvironment(env).sso();
    }

    @Test
    void ssoWhenNothingSetThenTwoMinutesOfSkewHourlyRefreshAndNoPrivateMetadata() {
        SsoSettings settings = sso(Map.of());

        assertThat(settings.samlClockSkew()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.metadataRefreshInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.allowPrivateMetadataUrls()).isFalse();
    }

    @Test
    void ssoWhenClockSkewSetThenUsedWithinItsBounds() {
        assertThat(sso(Map.of("GATEHOUSE_SSO_CLOCK_SKEW_SECONDS", "30")).samlClockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(sso(Map.of("GATEHOUSE_SSO_CLOCK_SKEW_SECONDS", "0")).samlClockSkew()).isZero();
        assertThat(sso(Map.of("GATEHOUSE_SSO_CLOCK_SKEW_SECONDS", "600")).samlClockSkew()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void ssoWhenClockSkewOutOfRangeOrNotANumberThenConfigExceptionNamingTheVariable() {
        for (String bad : new String[] {"601", "-1", "2m", "1.5"}) {
            assertThatThrownBy(() -> sso(Map.of("GATEHOUSE_SSO_CLOCK_SKEW_SECONDS", bad)))
                    .as(bad)
                    .isInstanceOf(GatehouseConfig.ConfigException.class)
                    .hasMessageContaining("GATEHOUSE_SSO_CLOCK_SKEW_SECONDS");
        }
    }
}
