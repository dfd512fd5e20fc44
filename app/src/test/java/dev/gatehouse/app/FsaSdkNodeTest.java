package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code e2e/sdk-node/fsa.mjs}: the official Scalekit Node SDK's full-stack-auth methods (getAuthorizationUrl,
 * authenticateWithCode, validateToken, refreshAccessToken, getLogoutUrl, and the session methods) against the hosted
 * login, driven over HTTP with codes from the dev mailbox.
 */
class FsaSdkNodeTest {
    @Test
    void fsaScriptWhenRunWithOfficialSdkThenEveryCheckPasses() throws Exception {
        try (TestGatehouse gatehouse = TestGatehouse.start(OidcNodeScripts.DEV_MAILBOX)) {
            long mark = gatehouse.auditMark();

            String output = OidcNodeScripts.runAndPass(gatehouse, "fsa.mjs", Map.of());

            assertThat(OidcNodeScripts.checks(output)).isGreaterThanOrEqualTo(23);
            assertThat(gatehouse.auditSince(mark, "login.succeeded")).hasSize(4);
            assertThat(gatehouse.auditSince(mark, "session.logout")).hasSize(1);
            assertThat(gatehouse.auditSince(mark, "session.revoked")).hasSize(1);
            assertThat(gatehouse.auditSince(mark, "session.revoked_all")).singleElement()
                    .satisfies(row -> assertThat(row.attributes()).contains("\"count\":\"1\""));
            // The run deletes what it created.
            assertThat(gatehouse.get("/api/v1/organizations", gatehouse.accessToken()).json().path("total_size").asInt())
                    .isZero();
        }
    }
}
