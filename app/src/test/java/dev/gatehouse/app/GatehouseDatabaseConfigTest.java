package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The embedded H2 URL: H2's write delay by default, every commit written with GATEHOUSE_H2_DURABLE (D-DB1). */
class GatehouseDatabaseConfigTest {
    private static String databaseUrl(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("GATEHOUSE_DATA_DIR", "/tmp/gatehouse-config-test"));
        env.putAll(extra);
        return GatehouseConfig.fromEnvironment(env).databaseUrl();
    }

    @Test
    void databaseUrlWhenH2DurableSetThenEveryCommitIsWrittenOtherwiseH2sWriteDelay() {
        assertThat(databaseUrl(Map.of())).startsWith("jdbc:h2:file:/tmp/gatehouse-config-test/gatehouse;")
                .doesNotContain("WRITE_DELAY");
        assertThat(databaseUrl(Map.of("GATEHOUSE_H2_DURABLE", "true"))).endsWith(";WRITE_DELAY=0");
        assertThat(databaseUrl(Map.of("GATEHOUSE_H2_DURABLE", "true",
                "GATEHOUSE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/gatehouse")))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/gatehouse");
        assertThatThrownBy(() -> databaseUrl(Map.of("GATEHOUSE_H2_DURABLE", "yes")))
                .isInstanceOf(GatehouseConfig.ConfigException.class).hasMessageContaining("GATEHOUSE_H2_DURABLE");
    }
}
