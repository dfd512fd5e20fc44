package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one of the OpenID-provider scripts of {@code e2e/sdk-node} (oidc-rp.mjs, fsa.mjs, browser-login.mjs) against a
 * whole Gatehouse. Installs the pinned packages with {@code npm ci} when {@code node_modules} lacks one of them (a
 * checkout from before a package was added), as {@code .ci/run} does on every run.
 */
final class OidcNodeScripts {
    static final List<String> PACKAGES = List.of("@scalekit-sdk/node", "openid-client", "playwright-core");
    /** The scripts read sign-in codes from /_dev/mail.json (on by default without SMTP; said explicitly here). */
    static final Map<String, String> DEV_MAILBOX = Map.of("GATEHOUSE_DEV_MAILBOX", "true");

    private OidcNodeScripts() {}

    static Path sdkDirectory() {
        return ScalekitNodeSdkTest.repositoryRoot().resolve("e2e").resolve("sdk-node");
    }

    /** Runs {@code node <script>} with the bootstrap client's credentials; asserts exit 0 and "N passed, 0 failed". */
    static String runAndPass(TestGatehouse gatehouse, String script, Map<String, String> extraEnvironment) throws Exception {
        Path sdk = sdkDirectory();
        String node = ScalekitNodeSdkTest.requireTool("node");
        if (PACKAGES.stream().anyMatch(p -> !Files.isDirectory(sdk.resolve("node_modules").resolve(p)))) {
            ScalekitNodeSdkTest.Result install = ScalekitNodeSdkTest.run(List.of(ScalekitNodeSdkTest.requireTool("npm"),
                    "ci", "--no-audit", "--no-fund"), sdk, Map.of(), ScalekitNodeSdkTest.NPM_TIMEOUT_SECONDS);
            assertThat(install.exitCode()).as("npm ci:%n%s", install.output()).isZero();
        }
        Map<String, String> environment = new HashMap<>(extraEnvironment);
        environment.put("GATEHOUSE_URL", gatehouse.baseUrl());
        environment.put("GATEHOUSE_CLIENT_ID", gatehouse.clientId());
        environment.put("GATEHOUSE_CLIENT_SECRET", gatehouse.clientSecret());
        long started = System.nanoTime();
        ScalekitNodeSdkTest.Result result = ScalekitNodeSdkTest.run(List.of(node, script), sdk, environment,
                ScalekitNodeSdkTest.SCRIPT_TIMEOUT_SECONDS);
        System.out.printf("%s: %d ms%n", script, (System.nanoTime() - started) / 1_000_000);
        assertThat(result.exitCode()).as("exit code of node %s; output:%n%s", script, result.output()).isZero();
        assertThat(result.output()).containsPattern("(?m)^[1-9][0-9]* passed, 0 failed$").doesNotContain("not ok - ");
        return result.output();
    }

    /** How many {@code ok - } lines the script printed. */
    static long checks(String output) {
        return output.lines().filter(line -> line.startsWith("ok - ")).count();
    }
}
