package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /healthz}, {@code /readyz} and {@code /metrics}, on a server started without being marked ready. */
class OpsEndpointsTest {
    static TestGatehouse gatehouse;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.startNotReady();
    }

    @AfterAll
    static void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    @Test
    void healthzAnswersWhetherReadyOrNot() {
        TestGatehouse.Response response = gatehouse.get("/healthz", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
    }

    @Test
    void readyzIs503UntilMarkedReadyAndAgainWhenDraining() {
        try {
            TestGatehouse.Response before = gatehouse.get("/readyz", null);
            assertThat(before.status()).as("%s", before).isEqualTo(503);

            gatehouse.wiring.readiness.markReady();
            TestGatehouse.Response ready = gatehouse.get("/readyz", null);
            assertThat(ready.status()).as("%s", ready).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("ready");

            gatehouse.wiring.readiness.markNotReady();
            assertThat(gatehouse.get("/readyz", null).status()).isEqualTo(503);
            assertThat(gatehouse.get("/healthz", null).status()).isEqualTo(200);
        } finally {
            gatehouse.wiring.readiness.markNotReady();
        }
    }

    @Test
    void metricsArePrometheusTextWithHttpServerMetrics() {
        String token = gatehouse.accessToken();
        assertThat(gatehouse.postJson("/api/v1/organizations", token, Map.of("display_name", "Metered")).status()).isEqualTo(201);
        assertThat(gatehouse.get("/api/v1/organizations", token).status()).isEqualTo(200);
        assertThat(gatehouse.get("/api/v1/organizations", null).status()).isEqualTo(401);

        TestGatehouse.Response metrics = gatehouse.get("/metrics", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(metrics.body())
                .contains("# TYPE ")
                .contains("# HELP ")
                .containsPattern("(?m)^gatehouse_http_[a-z_]+\\{[^}]*\\} [0-9.Ee+-]+$")
                .containsPattern("(?m)^gatehouse_http_requests_total\\{[^}]*http_status=\"201\"[^}]*\\} [1-9]")
                .containsPattern("(?m)^gatehouse_http_requests_total\\{[^}]*http_status=\"401\"[^}]*\\} [1-9]");
        assertThat(metrics.body()).as("no secrets in metrics").doesNotContain(TestGatehouse.CLIENT_SECRET, token);
    }

    @Test
    void unknownPathsAre404() {
        assertThat(gatehouse.get("/no/such/path", null).status()).isEqualTo(404);
    }
}
