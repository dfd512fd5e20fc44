package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin portal in an app's iframe, in a real browser: {@code e2e/sdk-node/browser-portal.mjs} drives Debian's
 * Chromium with playwright-core (as {@link BrowserLoginTest}). The app's page frames a link from the official SDK's
 * generatePortalLink; in the frame a connection and a directory are set up, and the page receives the portal's
 * events from Gatehouse's origin; no page may log a console error (a CSP refusal would be one). Missing Chromium is
 * a failure, never a skip.
 */
class PortalBrowserTest {
    @Test
    void portalInAnIframeWhenAConnectionIsEnabledThenTheAppReceivesTheEvents() throws Exception {
        String chromium = BrowserLoginTest.chromium();
        try (TestGatehouse gatehouse = TestGatehouse.start()) {
            long mark = gatehouse.auditMark();

            String output = OidcNodeScripts.runAndPass(gatehouse, "browser-portal.mjs", Map.of("CHROMIUM", chromium));

            assertThat(output).contains("ok - enabling it posts ORGANIZATION_SSO_ENABLED");
            assertThat(gatehouse.auditSince(mark, "portal.enable_connection")).hasSize(1);
            assertThat(gatehouse.auditSince(mark, "portal.enable_directory")).hasSize(1);
        }
    }
}
