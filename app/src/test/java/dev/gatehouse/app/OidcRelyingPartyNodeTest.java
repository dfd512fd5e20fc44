package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code e2e/sdk-node/oidc-rp.mjs}: openid-client (panva) as a strict relying party, with ID-token signature
 * checks on, through the hosted login (driven over HTTP, codes from the dev mailbox): discovery, code flow with PKCE,
 * state and nonce, userinfo, refresh rotation and reuse detection, introspection, revocation, code replay and
 * RP-initiated logout.
 */
class OidcRelyingPartyNodeTest {
    @Test
    void oidcRpScriptWhenRunWithOpenidClientThenEveryCheckPasses() throws Exception {
        try (TestGatehouse gatehouse = TestGatehouse.start(OidcNodeScripts.DEV_MAILBOX)) {
            long mark = gatehouse.auditMark();

            String output = OidcNodeScripts.runAndPass(gatehouse, "oidc-rp.mjs", Map.of());

            assertThat(OidcNodeScripts.checks(output)).isGreaterThanOrEqualTo(26);
            // The server saw what the relying party did: sign-ins, one logout, refusals audited.
            assertThat(gatehouse.auditSince(mark, "login.succeeded")).hasSize(7);
            assertThat(gatehouse.auditSince(mark, "session.logout")).hasSize(1);
            assertThat(gatehouse.auditSince(mark, "session.logout.rejected")).hasSize(1);
            assertThat(gatehouse.auditSince(mark, "oauth.grant.revoked")).hasSize(2);
            assertThat(gatehouse.auditSince(mark, "oauth.authorize.rejected")).hasSize(1);
            assertThat(gatehouse.auditSince(mark, "oauth.token.rejected")).extracting(TestGatehouse.AuditRow::reason)
                    .anySatisfy(reason -> assertThat(reason).get().asString().startsWith("refresh token reused"))
                    .anySatisfy(reason -> assertThat(reason).get().asString().startsWith("authorization code replayed"))
                    .anySatisfy(reason -> assertThat(reason).get().asString().contains("code_verifier does not match"));
        }
    }
}
