package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenID provider end to end over HTTP: authorize, the hosted login with a code from the dev mailbox, the
 * code and refresh grants, userinfo, introspection, revocation, logout, the sessions and login-settings APIs,
 * and the refusals on the way (each audited).
 */
class HostedLoginTest {
    private static TestGatehouse gatehouse;
    private static String token;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
        token = gatehouse.accessToken();
        var registered = gatehouse.patchJson("/api/v1/clients/" + TestGatehouse.CLIENT_ID, token, Map.of(
                "redirect_uris", List.of(HostedLoginBrowser.REDIRECT_URI),
                "post_logout_redirect_uris", List.of("http://localhost:3000/")));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        gatehouse.close();
    }

    private static TestGatehouse.Response exchange(String code, String verifier, boolean withSecret) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", HostedLoginBrowser.REDIRECT_URI);
        form.put("client_id", TestGatehouse.CLIENT_ID);
        if (withSecret) {
            form.put("client_secret", TestGatehouse.CLIENT_SECRET);
        }
        if (verifier != null) {
            form.put("code_verifier", verifier);
        }
        return gatehouse.postForm("/oauth/token", form, Map.of());
    }

    private static TestGatehouse.Response refresh(String refreshToken) {
        return gatehouse.postForm("/oauth/token", Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", TestGatehouse.CLIENT_ID, "client_secret", TestGatehouse.CLIENT_SECRET), Map.of());
    }

    private static JsonNode introspect(String value) {
        return gatehouse.postForm("/oauth/introspect", Map.of("token", value, "client_id", TestGatehouse.CLIENT_ID,
                "client_secret", TestGatehouse.CLIENT_SECRET), Map.of()).json();
    }

    private static JsonNode claims(String jwt) {
        try {
            return TestGatehouse.JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void authorizeWhenTheConnectionSelectorsPointNowhereThenTheSeedCodeGoesBackToTheAppWithItsState() {
        HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
        Map<Map<String, String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(Map.of("domain", "nowhere.test"), "domain_not_found");
        cases.put(Map.of("organization_id", "org_404"), "invalid_organization_id");
        cases.put(Map.of("organization_id", "not-an-id"), "invalid_organization_id");
        cases.put(Map.of("connection_id", "conn_404"), "invalid_connection_id");
        cases.put(Map.of("provider", "facebook"), "invalid_connection_selector");
        long mark = gatehouse.auditMark();

        cases.forEach((selector, code) -> {
            Map<String, String> parameters = new java.util.HashMap<>(selector);
            parameters.put("state", "state-" + code);
            HostedLoginBrowser.Page answer = browser.open(HostedLoginBrowser.authorizePath(parameters));

            assertThat(answer.status()).as(selector.toString()).isEqualTo(302);
            String location = answer.location().orElseThrow();
            assertThat(location).as(selector.toString()).startsWith(HostedLoginBrowser.REDIRECT_URI + "?");
            Map<String, String> query = HostedLoginBrowser.query(location);
            assertThat(query).as(selector.toString())
                    .containsEntry("error", code)
                    .containsEntry("state", "state-" + code)
                    .containsKey("error_description")
                    .doesNotContainKey("code");
        });
        assertThat(gatehouse.auditSince(mark, dev.gatehouse.core.connection.ConnectionLoginRouter.AUDIT_TYPE))
                .as("one audit record per refused selector").hasSizeGreaterThanOrEqualTo(cases.size());
    }

    @Test
    void aPublicClientWithPkceSignsInGetsTokensAndTheSessionSkipsTheNextLogin() {
        HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
        var pkce = HostedLoginBrowser.Pkce.create();
        var page = browser.open(HostedLoginBrowser.authorizePath(Map.of("code_challenge", pkce.challenge(),
                "code_challenge_method", "S256", "login_hint", "first@example.com")));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.html()).contains("<label for=\"email\">").contains("value=\"first@example.com\"");

        String callback = browser.signIn(HostedLoginBrowser.authorizePath(Map.of("code_challenge", pkce.challenge(),
                "code_challenge_method", "S256")), "first@example.com");
        Map<String, String> returned = HostedLoginBrowser.query(callback);
        assertThat(callback).startsWith(HostedLoginBrowser.REDIRECT_URI + "?");
        assertThat(returned).containsEntry("state", "state-1").containsEntry("iss", gatehouse.baseUrl()).containsKey("code");

        var tokens = exchange(returned.get("code"), pkce.verifier(), false);
        assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
        JsonNode body = tokens.json();
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asLong()).isBetween(290L, 300L);
        JsonNode id = claims(body.get("id_token").asText());
        JsonNode access = claims(body.get("access_token").asText());
        assertThat(id.get("sub").asText()).startsWith("usr_");
        assertThat(id.get("email").asText()).isEqualTo("first@example.com");
        assertThat(id.get("email_verified").asBoolean()).isTrue();
        assertThat(id.get("nonce").asText()).isEqualTo("nonce-1");
        assertThat(id.get("oid").asText()).startsWith("org_");
        assertThat(id.get("sid").asText()).startsWith("ses_");
        assertThat(id.get("amr").get(0).asText()).isEqualTo("otp");
        assertThat(access.get("roles").get(0).asText()).isEqualTo("admin");
        assertThat(access.get("scopes")).extracting(JsonNode::asText)
                .containsExactly("openid", "profile", "email", "offline_access");
        assertThat(access.get("oid").asText()).isEqualTo(id.get("oid").asText());

        var userinfo = gatehouse.get("/userinfo", body.get("access_token").asText());
        assertThat(userinfo.status()).isEqualTo(200);
        assertThat(userinfo.json().get("email").asText()).isEqualTo("first@example.com");

        var again = browser.open(HostedLoginBrowser.authorizePath(Map.of("state", "state-2")));
        assertThat(again.status()).as("an active session goes straight back to the app").isEqualTo(302);
        assertThat(HostedLoginBrowser.query(again.location().orElseThrow())).containsEntry("state", "state-2").containsKey("code");
        var pageForLogin = browser.open(HostedLoginBrowser.authorizePath(Map.of("prompt", "login")));
        assertThat(pageForLogin.status()).as("prompt=login shows the login again").isEqualTo(200);
    }

    @Test
    void aReplayedCodeRevokesEverythingItIssuedAndIsAudited() {
        HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
        String code = HostedLoginBrowser.query(browser.signIn(HostedLoginBrowser.authorizePath(Map.of()),
                "replay@example.com")).get("code");
        var first = exchange(code, null, true);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        long mark = gatehouse.auditMark();

        var second = exchange(code, null, true);

        assertThat(second.status()).isEqualTo(400);
        assertThat(second.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(refresh(first.json().get("refresh_token").asText()).json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(introspect(first.json().get("access_token").asText()).get("active").asBoolean()).isFalse();
        assertThat(gatehouse.auditSince(mark, "oauth.token.rejected"))
                .anySatisfy(row -> assertThat(row.reason()).hasValueSatisfying(r -> assertThat(r).contains("replayed")));
    }

    @Test
    void refreshTokensRotateAndAReusedOneRevokesTheFamily() {
        HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
        String code = HostedLoginBrowser.query(browser.signIn(HostedLoginBrowser.authorizePath(Map.of()),
                "rotate@example.com")).get("code");
        JsonNode first = exchange(code, null, true).json();
        String original = first.get("refresh_token").asText();

        JsonNode rotated = refresh(original).json();
        assertThat(rotated.get("refresh_token").asText()).startsWith("rt_").isNotEqualTo(original);
        assertThat(rotated.has("id_token")).isTrue();
        assertThat(introspect(rotated.get("refresh_token").asText()).get("active").asBoolean()).isTrue();
        assertThat(introspect(original).get("active").asBoolean()).as("a used refresh token").isFalse();

        var reuse = refresh(original);
        assertThat(reuse.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(refresh(rotated.get("refresh_token").asText()).json().get("error").asText())
                .as("the whole family is revoked").isEqualTo("invalid_grant");
    }

    @Test
    void revocationAndLogoutEndTheGrantAndTheSession() {
        HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
        String code = HostedLoginBrowser.query(browser.signIn(HostedLoginBrowser.authorizePath(Map.of()),
                "logout@example.com")).get("code");
        JsonNode tokens = exchange(code, null, true).json();
        String access = tokens.get("access_token").asText();
        assertThat(introspect(access).get("active").asBoolean()).isTrue();
        assertThat(introspect(access).get("sid").asText()).startsWith("ses_");

        var revoked = gatehouse.postForm("/oauth/revoke", Map.of("token", tokens.get("refresh_token").asText(),
                "client_id", TestGatehouse.CLIENT_ID, "client_secret", TestGatehouse.CLIENT_SECRET), Map.of());
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(introspect(access).get("active").asBoolean()).as("revoking the refresh token revokes the grant").isFalse();
        assertThat(gatehouse.get("/userinfo", access).status()).isEqualTo(401);

        var logout = browser.open("/oidc/logout?id_token_hint=" + tokens.get("id_token").asText()
                + "&post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A3000%2F&state=bye");
        assertThat(logout.status()).isEqualTo(302);
        assertThat(logout.location()).contains("http://localhost:3000/?state=bye");
        assertThat(browser.open(HostedLoginBrowser.authorizePath(Map.of())).status())
                .as("after logout the login page is shown again").isEqualTo(200);

        var unregistered = browser.open("/end_session?client_id=" + TestGatehouse.CLIENT_ID
                + "&post_logout_redirect_uri=https%3A%2F%2Fevil.example%2F");
        assertThat(unregistered.status()).isEqualTo(400);
        assertThat(unregistered.location()).isEmpty();
    }

    @Test
    void untrustworthyRequestsGetAnErrorPageAndOtherErrorsGoBackToTheApp() {
        HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
        long mark = gatehouse.auditMark();

        var unknownRedirect = browser.open(HostedLoginBrowser.authorizePath(Map.of("redirect_uri", "https://evil.example/cb")));
        assertThat(unknownRedirect.status()).isEqualTo(400);
        assertThat(unknownRedirect.location()).isEmpty();
        assertThat(unknownRedirect.html()).contains("not registered");

        var plainPkce = browser.open(HostedLoginBrowser.authorizePath(Map.of("code_challenge", "x".repeat(43),
                "code_challenge_method", "plain")));
        assertThat(plainPkce.status()).isEqualTo(302);
        assertThat(HostedLoginBrowser.query(plainPkce.location().orElseThrow()))
                .containsEntry("error", "invalid_request").containsEntry("state", "state-1");

        var silent = browser.open(HostedLoginBrowser.authorizePath(Map.of("prompt", "none")));
        assertThat(HostedLoginBrowser.query(silent.location().orElseThrow())).containsEntry("error", "login_required");

        assertThat(gatehouse.auditSince(mark, "oauth.authorize.rejected")).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void aForgedFormAnotherBrowserAndWrongCodesAreRefusedAndAudited() {
        HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
        browser.open(HostedLoginBrowser.authorizePath(Map.of()));
        String loginPage = browser.page.action();
        long mark = gatehouse.auditMark();

        var forged = gatehouse.postForm(loginPage, Map.of("action", "email", "email", "x@example.com", "csrf", "0".repeat(64)),
                Map.of());
        assertThat(forged.status()).isEqualTo(400);
        HostedLoginBrowser other = new HostedLoginBrowser(gatehouse);
        assertThat(other.open(loginPage).status()).as("another browser cannot continue this login").isEqualTo(400);
        assertThat(gatehouse.auditSince(mark, "login.email.rejected")).isNotEmpty()
                .allSatisfy(row -> assertThat(row.reasonCode()).contains("invalid_login"));
        assertThat(gatehouse.auditSince(mark, "login.view.rejected")).isNotEmpty()
                .allSatisfy(row -> assertThat(row.reasonCode()).contains("invalid_login"));

        browser.submitEmail("wrong@example.com");
        String right = browser.latestCode("wrong@example.com");
        String wrong = right.equals("000000") ? "111111" : "000000";
        for (int attempt = 0; attempt < 5; attempt++) {
            assertThat(browser.submitCode(wrong).status()).isEqualTo(400);
        }
        var sixth = browser.submitCode(right);
        assertThat(sixth.status()).as("after 5 wrong codes even the right one is refused").isEqualTo(429);
        assertThat(sixth.location()).isEmpty();
        assertThat(gatehouse.auditSince(mark, "login.code.rejected")).allSatisfy(row -> {
            assertThat(row.outcome()).isEqualTo("FAILURE");
            assertThat(row.environmentId()).contains(gatehouse.environmentId());
        }).extracting(row -> row.reasonCode().orElse("")).containsExactly(
                "wrong_code", "wrong_code", "wrong_code", "wrong_code", "wrong_code", "too_many_attempts");
    }

    @Test
    void tooManyEmailsToOneAddressAreRateLimitedAndAudited() {
        HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
        browser.open(HostedLoginBrowser.authorizePath(Map.of()));
        String address = "flood-" + System.nanoTime() + "@example.com";
        long mark = gatehouse.auditMark();

        assertThat(browser.submitEmail(address).status()).isEqualTo(200);
        assertThat(browser.submitEmail(address).status()).isEqualTo(200);
        var third = browser.submitEmail(address);

        assertThat(third.status()).as("a third email to the address within the minute").isEqualTo(429);
        assertThat(gatehouse.auditSince(mark, "login.rate_limited")).singleElement().satisfies(row -> {
            assertThat(row.outcome()).isEqualTo("FAILURE");
            assertThat(row.environmentId()).contains(gatehouse.environmentId());
            assertThat(row.reasonCode()).contains("too_many_emails");
            assertThat(row.attributes()).contains(address);
        });
    }

    @Test
    void loginSettingsBrandThePagesAndAreValidated() {
        var updated = gatehouse.patchJson("/api/v1/login/settings", token, Map.of(
                "branding", Map.of("name", "Acme Cloud", "primary_color", "#112233"), "access_token_expiry", 600));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().get("access_token_expiry").asLong()).isEqualTo(600);
        try {
            HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
            assertThat(browser.open(HostedLoginBrowser.authorizePath(Map.of())).html()).contains("Acme Cloud").contains("#112233");
            String code = HostedLoginBrowser.query(browser.signIn(HostedLoginBrowser.authorizePath(Map.of()),
                    "brand@example.com")).get("code");
            assertThat(exchange(code, null, true).json().get("expires_in").asLong()).isBetween(590L, 600L);

            var invalid = gatehouse.patchJson("/api/v1/login/settings", token, Map.of(
                    "branding", Map.of("primary_color", "red;}</style>"), "session_idle_timeout", 1));
            assertThat(invalid.status()).isEqualTo(400);
            RpcStatusAssertions.assertRpcStatus(invalid, 400, 3, "INVALID_ARGUMENT");
        } finally {
            gatehouse.patchJson("/api/v1/login/settings", token, Map.of(
                    "branding", Map.of("name", "Gatehouse", "primary_color", "#3b5bdb"), "access_token_expiry", 300));
        }
    }

    @Test
    void theSessionsApiListsAndRevokesAUsersSessions() {
        HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
        String code = HostedLoginBrowser.query(browser.signIn(HostedLoginBrowser.authorizePath(Map.of()),
                "sessions@example.com")).get("code");
        JsonNode tokens = exchange(code, null, true).json();
        JsonNode id = claims(tokens.get("id_token").asText());
        String user = id.get("sub").asText();
        String session = id.get("sid").asText();

        var listed = gatehouse.get("/api/v1/users/" + user + "/sessions?filter.status=active", token);
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.json().get("sessions")).extracting(s -> s.get("session_id").asText()).containsExactly(session);
        assertThat(listed.json().get("sessions").get(0).get("authenticated_clients"))
                .extracting(c -> c.get("client_id").asText()).containsExactly(id.get("aud").isArray()
                        ? id.get("aud").get(0).asText() : id.get("aud").asText());
        JsonNode details = gatehouse.get("/api/v1/sessions/" + session, token).json();
        assertThat(details.get("status").asText()).isEqualTo("active");
        assertThat(details.get("authenticated_clients")).as("the client that exchanged the code").hasSize(1);
        assertThat(details.get("authenticated_clients").get(0).get("client_id").asText())
                .isEqualTo(listed.json().get("sessions").get(0).get("authenticated_clients").get(0).get("client_id").asText());

        var revoked = gatehouse.postJson("/api/v1/sessions/" + session + "/revoke", token, Map.of());
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(revoked.json().get("revoked_session").get("status").asText()).isEqualTo("revoked");
        assertThat(refresh(tokens.get("refresh_token").asText()).json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(browser.open(HostedLoginBrowser.authorizePath(Map.of())).status()).isEqualTo(200);

        assertThat(gatehouse.get("/api/v1/sessions/ses_1", token).status()).isEqualTo(404);
        assertThat(gatehouse.get("/api/v1/sessions/not-a-session", token).status()).isEqualTo(400);
        assertThat(gatehouse.get("/api/v1/users/" + user + "/sessions?filter.status=sleeping", token).status()).isEqualTo(400);
        var isolated = gatehouse.createIsolatedEnvironment();
        assertThat(gatehouse.get("/api/v1/sessions/" + session, gatehouse.accessToken(isolated)).status())
                .as("another environment cannot see the session").isEqualTo(404);
    }

    @Test
    void anInvitationIsMailedAndSigningInAcceptsIt() {
        var client = gatehouse.patchJson("/api/v1/clients/" + TestGatehouse.CLIENT_ID, token,
                Map.of("initiate_login_uri", "https://app.example.test/login"));
        assertThat(client.status()).as(client.toString()).isEqualTo(200);
        var organization = gatehouse.postJson("/api/v1/organizations", token, Map.of("display_name", "Invited Org"));
        String org = organization.json().get("organization").get("id").asText();
        var invited = gatehouse.postJson("/api/v1/organizations/" + org + "/users", token,
                Map.of("email", "invitee@example.com", "membership", Map.of("inviter_email", "boss@example.com")));
        assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
        assertThat(invited.json().at("/user/memberships/0/membership_status").asText()).isEqualTo("PENDING_INVITE");

        var mail = gatehouse.get("/_dev/mail.json", null).json().get("messages");
        JsonNode invitation = null;
        for (JsonNode message : mail) {
            if (message.get("to").asText().equals("invitee@example.com")) {
                invitation = message;
                break;
            }
        }
        assertThat(invitation).as("an invitation email in the dev mailbox: %s", mail).isNotNull();
        assertThat(invitation.get("subject").asText()).contains("Invited Org");
        assertThat(invitation.get("text").asText()).contains("boss@example.com")
                .contains("https://app.example.test/login?login_hint=invitee%40example.com&organization_id=" + org);

        HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
        String code = HostedLoginBrowser.query(browser.signIn(HostedLoginBrowser.authorizePath(
                Map.of("organization_id", org)), "invitee@example.com")).get("code");
        JsonNode id = claims(exchange(code, null, true).json().get("id_token").asText());
        assertThat(id.get("oid").asText()).isEqualTo(org);
        var user = gatehouse.get("/api/v1/users/" + id.get("sub").asText(), token);
        assertThat(user.json().at("/user/memberships/0/membership_status").asText()).as("signing in accepts the invitation")
                .isEqualTo("ACTIVE");
    }
}
