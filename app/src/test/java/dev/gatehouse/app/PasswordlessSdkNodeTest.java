package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code e2e/sdk-node/passwordless.mjs}: the official Scalekit Node SDK's sendPasswordlessEmail,
 * resendPasswordlessEmail and verifyPasswordlessEmail against a whole Gatehouse whose mail goes to the dev
 * mailbox (the script reads codes and links from /_dev/mail.json). Needs node and npm, like ScalekitNodeSdkTest.
 */
class PasswordlessSdkNodeTest {
    @Test
    void passwordlessScriptWhenRunWithOfficialSdkThenEveryCheckPasses() throws Exception {
        Path sdkDirectory = ScalekitNodeSdkTest.repositoryRoot().resolve("e2e").resolve("sdk-node");
        String node = ScalekitNodeSdkTest.requireTool("node");
        if (!Files.isDirectory(sdkDirectory.resolve("node_modules"))) {
            ScalekitNodeSdkTest.Result install = ScalekitNodeSdkTest.run(List.of(ScalekitNodeSdkTest.requireTool("npm"), "ci",
                    "--no-audit", "--no-fund"), sdkDirectory, Map.of(), ScalekitNodeSdkTest.NPM_TIMEOUT_SECONDS);
            assertThat(install.exitCode()).as("npm ci:%n%s", install.output()).isZero();
        }
        try (TestGatehouse gatehouse = TestGatehouse.start()) {
            ScalekitNodeSdkTest.Result result = ScalekitNodeSdkTest.run(List.of(node, "passwordless.mjs"), sdkDirectory, Map.of(
                    "GATEHOUSE_URL", gatehouse.baseUrl(),
                    "GATEHOUSE_CLIENT_ID", gatehouse.clientId(),
                    "GATEHOUSE_CLIENT_SECRET", gatehouse.clientSecret()), ScalekitNodeSdkTest.SCRIPT_TIMEOUT_SECONDS);

            assertThat(result.exitCode()).as("exit code of node passwordless.mjs; output:%n%s", result.output()).isZero();
            assertThat(result.output()).containsPattern("(?m)^[1-9][0-9]* passed, 0 failed$").doesNotContain("not ok - ");
            // The server saw the SDK's calls: one verified request per successful verify, refusals audited.
            assertThat(gatehouse.audit(gatehouse.environmentId(), "passwordless.verified")).hasSize(3);
            assertThat(gatehouse.audit(gatehouse.environmentId(), "passwordless.verify.rejected")).hasSizeGreaterThanOrEqualTo(7);
        }
    }
}
