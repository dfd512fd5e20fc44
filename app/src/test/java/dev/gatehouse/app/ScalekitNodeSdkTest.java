package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gatehouse driven by the official Scalekit Node SDK ({@code e2e/sdk-node/organizations.mjs}):
 * the SDK's lazy gRPC handshake, organization CRUD and paging, error mapping, client tokens and
 * their validation against {@code /keys}. Needs {@code node} (and npm, the first time) on PATH.
 */
class ScalekitNodeSdkTest {
    static final long SCRIPT_TIMEOUT_SECONDS = 180;
    static final long NPM_TIMEOUT_SECONDS = 300;

    static TestGatehouse gatehouse;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
    }

    @AfterAll
    static void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    @Test
    void organizationsScriptPassesAgainstGatehouse() throws Exception {
        Path sdkDirectory = repositoryRoot().resolve("e2e").resolve("sdk-node");
        String node = requireTool("node");
        if (!Files.isDirectory(sdkDirectory.resolve("node_modules"))) {
            Result install = run(List.of(requireTool("npm"), "ci", "--no-audit", "--no-fund"), sdkDirectory, Map.of(),
                    NPM_TIMEOUT_SECONDS);
            assertThat(install.exitCode()).as("npm ci in %s:%n%s", sdkDirectory, install.output()).isZero();
        }

        Result result = run(List.of(node, "organizations.mjs"), sdkDirectory, Map.of(
                "GATEHOUSE_URL", gatehouse.baseUrl(),
                "GATEHOUSE_CLIENT_ID", gatehouse.clientId(),
                "GATEHOUSE_CLIENT_SECRET", gatehouse.clientSecret()), SCRIPT_TIMEOUT_SECONDS);

        assertThat(result.exitCode()).as("exit code of node organizations.mjs; output:%n%s", result.output()).isZero();
        assertThat(result.output()).containsPattern("(?m)^[1-9][0-9]* passed, 0 failed$");
        assertThat(result.output()).doesNotContain("not ok - ");
        // The run cleans up after itself.
        assertThat(gatehouse.get("/api/v1/organizations", gatehouse.accessToken()).json().path("total_size").asInt()).isZero();
    }

    record Result(int exitCode, String output) {}

    /** Runs a command with a bounded wait; its output goes to the test log and into the result. */
    static Result run(List<String> command, Path directory, Map<String, String> environment, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("gatehouse-node-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().putAll(environment);
            System.out.println("$ " + String.join(" ", command) + "   (in " + directory + ")");
            Process process = builder.start();
            boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            // Prefixed, so the script's "N passed, 0 failed" is not taken for the suite's own summary line.
            output.lines().forEach(line -> System.out.println("  [" + directory.getFileName() + "] " + line));
            if (!finished) {
                fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s; output so far:\n" + output);
            }
            return new Result(process.exitValue(), output);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The full path of an executable on PATH; fails (never skips) when it is missing. */
    static String requireTool(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String directory : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(directory).resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return fail("'" + name + "' is not on PATH (" + path + "). The official-SDK end-to-end test needs Node.js 20+"
                + " and npm: install them (CI does; e.g. apt-get install nodejs npm), then run e2e/sdk-node's npm ci.");
    }

    /** The repository root: the nearest directory at or above user.dir (the module's, under Maven) that holds the SDK script. */
    static Path repositoryRoot() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("e2e").resolve("sdk-node").resolve("organizations.mjs"))) {
                return dir;
            }
        }
        return fail("no e2e/sdk-node/organizations.mjs at or above " + start);
    }
}
