package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One real browser through the hosted login: {@code e2e/sdk-node/browser-login.mjs} drives Debian's Chromium
 * ({@code /usr/bin/chromium}, {@code apt-get install chromium}; {@code .ci/run} installs it) with playwright-core.
 * It types the email and the code (read from the dev mailbox) into the labelled fields, creates an organization and
 * lands on a test app's callback with {@code code} and {@code state}; no page may log a console error.
 * Missing Chromium is a failure, never a skip. {@code CHROMIUM} overrides the path.
 */
class BrowserLoginTest {
    /** Chromium's path ({@code CHROMIUM}, else Debian's); missing is a failure, never a skip. */
    static String chromium() {
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        assertThat(Files.isExecutable(Path.of(chromium)))
                .as("%s is missing: apt-get install -y chromium chromium-driver (or set CHROMIUM)", chromium).isTrue();
        return chromium;
    }

    @Test
    void browserLoginWhenChromiumSignsInWithEmailCodeThenTheTestAppReceivesCodeAndState() throws Exception {
        String chromium = chromium();
        try (TestGatehouse gatehouse = TestGatehouse.start(OidcNodeScripts.DEV_MAILBOX)) {
            long mark = gatehouse.auditMark();

            String output = OidcNodeScripts.runAndPass(gatehouse, "browser-login.mjs", Map.of("CHROMIUM", chromium));

            assertThat(output).contains("ok - the test app received code, state and iss");
            assertThat(gatehouse.auditSince(mark, "login.succeeded")).hasSize(2)
                    .allSatisfy(row -> assertThat(row.attributes()).contains("\"amr\"").contains("otp"));
        }
    }
}
