package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Runs {@code e2e/sdk-node/portal.mjs} (the official Scalekit Node SDK's generatePortalLink and session policy
 * methods, the other portal-link RPCs through its gRPC client, and the link opened over HTTP) against a whole
 * Gatehouse, with the helpers of {@link OidcNodeScripts}. Needs {@code node} (and npm, the first time).
 */
class PortalSdkNodeTest {
    @Test
    void portalScriptWhenRunWithTheOfficialSdkThenEveryCheckPasses() throws Exception {
        try (TestGatehouse gatehouse = TestGatehouse.start()) {
            String output = OidcNodeScripts.runAndPass(gatehouse, "portal.mjs", java.util.Map.of());
            assertThat(OidcNodeScripts.checks(output)).isGreaterThanOrEqualTo(13);
            assertThat(gatehouse.get("/api/v1/organizations", gatehouse.accessToken()).json().path("total_size").asInt())
                    .as("the run cleans up").isZero();
        }
    }
}
