package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code e2e/sdk-node/m2m-clients.mjs} (the official Scalekit Node SDK's M2M organization-client
 * methods, then a client_credentials token of the created client checked with validateToken) against a
 * whole Gatehouse. Needs {@code node} and {@code npm ci} in e2e/sdk-node, as .ci/run does.
 */
class M2mClientSdkNodeTest {
    private static Path sdkDirectory() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolve("e2e/sdk-node");
            if (Files.isRegularFile(candidate.resolve("m2m-clients.mjs"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("e2e/sdk-node/m2m-clients.mjs not found above " + here);
    }

    private static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void m2mClientsScriptWhenRunWithOfficialSdkThenEveryCheckPasses() throws Exception {
        Path sdk = sdkDirectory();
        // CI installs node and runs npm ci (.ci/run); a missing tool is a failure, never a silent skip.
        assertThat(nodeAvailable()).as("node must be on PATH (apt-get install nodejs npm)").isTrue();
        assertThat(Files.isDirectory(sdk.resolve("node_modules/@scalekit-sdk/node")))
                .as("run `npm ci` in e2e/sdk-node first").isTrue();
        try (TestGatehouse gatehouse = TestGatehouse.start()) {
            ProcessBuilder builder = new ProcessBuilder("node", "m2m-clients.mjs").directory(sdk.toFile())
                    .redirectErrorStream(true);
            builder.environment().put("GATEHOUSE_URL", gatehouse.baseUrl());
            builder.environment().put("GATEHOUSE_CLIENT_ID", TestGatehouse.CLIENT_ID);
            builder.environment().put("GATEHOUSE_CLIENT_SECRET", TestGatehouse.CLIENT_SECRET);
            Process process = builder.start();
            boolean finished = process.waitFor(90, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            output.lines().forEach(line -> System.out.println("[sdk-node m2m-clients] " + line));
            assertThat(finished).as("m2m-clients.mjs finished within 90 s:\n%s", output).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).as(output).doesNotContain("not ok").containsPattern("(?m)^\\d+ passed, 0 failed$");
            assertThat(output.lines().filter(l -> l.startsWith("ok - ")).count()).as(output).isGreaterThanOrEqualTo(18);
        }
    }
}
