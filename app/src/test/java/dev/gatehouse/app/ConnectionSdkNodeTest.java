package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code e2e/sdk-node/connections.mjs} (the official Scalekit Node SDK's connection and domain methods) against
 * a whole Gatehouse, with the helpers of {@link ScalekitNodeSdkTest}. Needs {@code node} (and npm, the first time).
 */
class ConnectionSdkNodeTest {
    @Test
    void connectionsScriptWhenRunWithTheOfficialSdkThenEveryCheckPasses() throws Exception {
        Path sdkDirectory = ScalekitNodeSdkTest.repositoryRoot().resolve("e2e").resolve("sdk-node");
        String node = ScalekitNodeSdkTest.requireTool("node");
        if (!Files.isDirectory(sdkDirectory.resolve("node_modules"))) {
            ScalekitNodeSdkTest.Result install = ScalekitNodeSdkTest.run(List.of(ScalekitNodeSdkTest.requireTool("npm"), "ci",
                    "--no-audit", "--no-fund"), sdkDirectory, Map.of(), ScalekitNodeSdkTest.NPM_TIMEOUT_SECONDS);
            assertThat(install.exitCode()).as("npm ci in %s:%n%s", sdkDirectory, install.output()).isZero();
        }
        try (TestGatehouse gatehouse = TestGatehouse.start()) {
            ScalekitNodeSdkTest.Result result = ScalekitNodeSdkTest.run(List.of(node, "connections.mjs"), sdkDirectory, Map.of(
                    "GATEHOUSE_URL", gatehouse.baseUrl(),
                    "GATEHOUSE_CLIENT_ID", gatehouse.clientId(),
                    "GATEHOUSE_CLIENT_SECRET", gatehouse.clientSecret()), ScalekitNodeSdkTest.SCRIPT_TIMEOUT_SECONDS);
            assertThat(result.exitCode()).as("exit code of node connections.mjs; output:%n%s", result.output()).isZero();
            assertThat(result.output()).containsPattern("(?m)^[1-9][0-9]* passed, 0 failed$").doesNotContain("not ok - ");
            assertThat(result.output().lines().filter(l -> l.startsWith("ok - ")).count()).isGreaterThanOrEqualTo(20);
            assertThat(gatehouse.get("/api/v1/organizations/-/connections", gatehouse.accessToken()).json()
                    .path("total_size").asInt()).as("the run cleans up").isZero();
        }
    }
}
