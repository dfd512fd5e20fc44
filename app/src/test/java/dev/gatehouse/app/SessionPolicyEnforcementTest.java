package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.login.Session;
import dev.gatehouse.core.user.NewMembership;
import dev.gatehouse.core.user.UserRef;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Organizations' session policies are enforced (docs/DECISIONS.md D-AP6), on a server whose clock the test moves
 * forward: a CUSTOM policy shortens the organization's existing sessions at once, new sessions get its lifetimes,
 * a refresh is activity (the idle timeout restarts), sessions end after the idle and the absolute timeout (refresh
 * refused, audited), and a session that the policy of another organization has ended must sign in again there.
 */
class SessionPolicyEnforcementTest {
    private static final ShiftingClock clock = new ShiftingClock();
    private static TestGatehouse gatehouse;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start(Map.of(), clock);
        gatehouse.registerRedirectUris(List.of(HostedLoginBrowser.REDIRECT_URI));
    }

    @AfterAll
    static void stop() {
        gatehouse.close();
    }

    /** Tokens of one sign-in, and what the ID token says. */
    private record SignedIn(HostedLoginBrowser browser, String refreshToken, String sessionId, String organizationId,
                            String userId) {}

    private static SignedIn signIn(HostedLoginBrowser browser, String email, Map<String, String> extra) {
        HostedLoginBrowser.Pkce pkce = HostedLoginBrowser.Pkce.create();
        Map<String, String> parameters = new LinkedHashMap<>(extra);
        parameters.put("code_challenge", pkce.challenge());
        parameters.put("code_challenge_method", "S256");
        String callback = browser.signIn(HostedLoginBrowser.authorizePath(parameters), email);
        return exchange(browser, callback, pkce);
    }

    private static SignedIn exchange(HostedLoginBrowser browser, String callback, HostedLoginBrowser.Pkce pkce) {
        Map<String, String> query = HostedLoginBrowser.query(callback);
        assertThat(query).as(callback).containsKey("code");
        TestGatehouse.Response tokens = gatehouse.postForm("/oauth/token", Map.of("grant_type", "authorization_code",
                "code", query.get("code"), "redirect_uri", HostedLoginBrowser.REDIRECT_URI, "client_id",
                TestGatehouse.CLIENT_ID, "client_secret", TestGatehouse.CLIENT_SECRET, "code_verifier", pkce.verifier()),
                Map.of());
        assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
        JsonNode claims = SamlSignInTest.claims(tokens.json().path("id_token").asText());
        return new SignedIn(browser, tokens.json().path("refresh_token").asText(), claims.path("sid").asText(),
                claims.path("oid").asText(), claims.path("sub").asText());
    }

    /** A refresh grant; returns the response (200 with a rotated token, or an OAuth error). */
    private static TestGatehouse.Response refresh(String refreshToken) {
        return gatehouse.postForm("/oauth/token", Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", TestGatehouse.CLIENT_ID, "client_secret", TestGatehouse.CLIENT_SECRET), Map.of());
    }

    private static String refreshed(String refreshToken) {
        TestGatehouse.Response response = refresh(refreshToken);
        assertThat(response.status()).as("refresh: %s", response).isEqualTo(200);
        return response.json().path("refresh_token").asText();
    }

    private static Session session(String sessionId) {
        return gatehouse.wiring.sessionRepository.find(gatehouse.environmentId(), sessionId).orElseThrow();
    }

    private static void customPolicy(String organizationId, int absoluteHours, int idleMinutes) {
        TestGatehouse.Response updated = gatehouse.patchJson("/api/v1/organizations/" + organizationId + "/session-policy",
                gatehouse.accessToken(), Map.of("policy_source", "CUSTOM", "absolute_session_timeout", absoluteHours,
                        "absolute_session_timeout_unit", "HOURS", "idle_session_timeout_enabled", true,
                        "idle_session_timeout", idleMinutes, "idle_session_timeout_unit", "MINUTES"));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().path("policy").path("policy_source").asText()).isEqualTo("CUSTOM");
    }

    private static String email() {
        return "policy-" + UUID.randomUUID().toString().substring(0, 8) + "@policy.example";
    }

    @Test
    void aCustomPolicyShortensSessionsAndEndsThemAfterTheIdleAndTheAbsoluteTimeout() {
        String email = email();
        SignedIn first = signIn(new HostedLoginBrowser(gatehouse), email, Map.of());
        Session before = session(first.sessionId());
        assertThat(Duration.between(before.createTime(), before.absoluteExpireTime())).isEqualTo(Duration.ofDays(30));

        customPolicy(first.organizationId(), 2, 30);

        Session shortened = session(first.sessionId());
        assertThat(shortened.absoluteExpireTime()).isEqualTo(before.createTime().plus(Duration.ofHours(2)));
        assertThat(shortened.idleExpireTime()).isEqualTo(before.lastActiveTime().plus(Duration.ofMinutes(30)));

        // Refreshing is activity: the idle timeout starts again each time.
        clock.advance(Duration.ofMinutes(20));
        String token = refreshed(first.refreshToken());
        clock.advance(Duration.ofMinutes(25));
        token = refreshed(token);
        long mark = gatehouse.auditMark();
        clock.advance(Duration.ofMinutes(31));
        TestGatehouse.Response idle = refresh(token);
        assertThat(idle.status()).as(idle.toString()).isEqualTo(400);
        assertThat(idle.json().path("error").asText()).isEqualTo("invalid_grant");
        assertThat(gatehouse.auditSince(mark, "oauth.token.rejected"))
                .anySatisfy(row -> assertThat(row.reason()).hasValueSatisfying(r -> assertThat(r)
                        .contains(first.sessionId()).contains("no longer active")));

        // A new sign-in gets the policy's lifetimes, and ends at the absolute timeout however active it is.
        clock.advance(Duration.ofMinutes(2)); // the address may be mailed again
        SignedIn second = signIn(new HostedLoginBrowser(gatehouse), email, Map.of());
        assertThat(second.organizationId()).isEqualTo(first.organizationId());
        Session created = session(second.sessionId());
        assertThat(created.absoluteExpireTime()).isEqualTo(created.createTime().plus(Duration.ofHours(2)));
        assertThat(created.idleExpireTime()).isEqualTo(created.createTime().plus(Duration.ofMinutes(30)));
        token = second.refreshToken();
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofMinutes(25));
            token = refreshed(token);
        }
        clock.advance(Duration.ofMinutes(25));
        TestGatehouse.Response absolute = refresh(token);
        assertThat(absolute.status()).as(absolute.toString()).isEqualTo(400);
        assertThat(session(second.sessionId()).isActive(clock.instant())).isFalse();
    }

    @Test
    void aSessionEndedByAnotherOrganizationsPolicySignsInAgainThereAndStaysValidElsewhere() {
        SignedIn strict = signIn(new HostedLoginBrowser(gatehouse), email(), Map.of());
        customPolicy(strict.organizationId(), 1, 20);
        HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
        SignedIn own = signIn(browser, email(), Map.of());
        gatehouse.wiring.users.createMembership(gatehouse.environmentId(), strict.organizationId(),
                new UserRef.ById(own.userId()), NewMembership.defaults(), false);

        clock.advance(Duration.ofMinutes(90)); // past the strict organization's hour, well within the environment's days
        long mark = gatehouse.auditMark();
        HostedLoginBrowser.Page toStrict = browser.open(HostedLoginBrowser.authorizePath(Map.of(
                "organization_id", strict.organizationId())));
        assertThat(toStrict.location()).as("no code without a new sign-in").isEmpty();
        assertThat(toStrict.html()).contains("name=\"email\"");
        assertThat(gatehouse.auditSince(mark, "login.session.rejected"))
                .anySatisfy(row -> assertThat(row.reason()).hasValueSatisfying(r -> assertThat(r)
                        .contains(own.sessionId()).contains(strict.organizationId())));

        HostedLoginBrowser.Page silent = browser.open(HostedLoginBrowser.authorizePath(Map.of(
                "organization_id", strict.organizationId(), "prompt", "none")));
        assertThat(silent.location()).hasValueSatisfying(l -> assertThat(l).contains("error=login_required"));

        HostedLoginBrowser.Pkce pkce = HostedLoginBrowser.Pkce.create();
        HostedLoginBrowser.Page toOwn = browser.open(HostedLoginBrowser.authorizePath(Map.of(
                "organization_id", own.organizationId(), "code_challenge", pkce.challenge(),
                "code_challenge_method", "S256")));
        assertThat(toOwn.location()).as("the session still signs in to its own organization")
                .hasValueSatisfying(l -> assertThat(l).startsWith(HostedLoginBrowser.REDIRECT_URI + "?code="));
        assertThat(exchange(browser, toOwn.location().get(), pkce).sessionId()).isEqualTo(own.sessionId());
    }

    @Test
    void applicationPolicyFollowsTheEnvironmentsLoginSettings() {
        String email = email();
        SignedIn signedIn = signIn(new HostedLoginBrowser(gatehouse), email, Map.of());
        String path = "/api/v1/organizations/" + signedIn.organizationId();
        customPolicy(signedIn.organizationId(), 3, 45);
        TestGatehouse.Response reverted = gatehouse.patchJson(path + "/session-policy", gatehouse.accessToken(),
                Map.of("policy_source", "APPLICATION"));
        assertThat(reverted.status()).as(reverted.toString()).isEqualTo(200);
        assertThat(gatehouse.get(path + "/session-policy", gatehouse.accessToken()).json().path("policy")
                .path("policy_source").asText()).isEqualTo("APPLICATION");

        JsonNode application = gatehouse.get(path + "/application-session-policy", gatehouse.accessToken()).json()
                .path("application_policy");
        assertThat(application.path("absolute_session_timeout").asInt()).isEqualTo(30);
        assertThat(application.path("absolute_session_timeout_unit").asText()).isEqualTo("DAYS");
        assertThat(application.path("idle_session_timeout_enabled").asBoolean()).isTrue();
        assertThat(application.path("idle_session_timeout").asInt()).isEqualTo(7);
        assertThat(application.path("idle_session_timeout_unit").asText()).isEqualTo("DAYS");
        assertThat(application.path("access_token_expiry").asInt()).isEqualTo(300);

        clock.advance(Duration.ofMinutes(2)); // the address may be mailed again
        SignedIn again = signIn(new HostedLoginBrowser(gatehouse), email, Map.of());
        assertThat(again.organizationId()).isEqualTo(signedIn.organizationId());
        Session session = session(again.sessionId());
        assertThat(Duration.between(session.createTime(), session.absoluteExpireTime())).isEqualTo(Duration.ofDays(30));
        assertThat(Duration.between(session.createTime(), session.idleExpireTime())).isEqualTo(Duration.ofDays(7));
    }
}
