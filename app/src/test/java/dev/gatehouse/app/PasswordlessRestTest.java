package dev.gatehouse.app;

import static dev.gatehouse.app.RpcStatusAssertions.assertInvalidArgument;
import static dev.gatehouse.app.RpcStatusAssertions.assertRpcStatus;
import static dev.gatehouse.app.RpcStatusAssertions.assertUnauthenticated;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The passwordless headless API over REST ({@code POST /api/v1/passwordless/email/send|resend|verify}) with mail
 * going to the dev mailbox, whose {@code /_dev/mail.json} the test reads codes and links from.
 */
class PasswordlessRestTest {
    static final String SEND = "/api/v1/passwordless/email/send";
    static final String RESEND = "/api/v1/passwordless/email/resend";
    static final String VERIFY = "/api/v1/passwordless/email/verify";
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
    private static final Pattern LINK = Pattern.compile("(https?://\\S+[?&]link_token=([A-Za-z0-9_-]+))");
    static TestGatehouse gatehouse;
    static String token;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
        token = gatehouse.accessToken();
    }

    @AfterAll
    static void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    static String email() {
        return "user-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    /** The newest dev-mailbox message to {@code to} in the environment. */
    static JsonNode lastMail(TestGatehouse gatehouse, String environmentId, String to) {
        TestGatehouse.Response response = gatehouse.get("/_dev/mail.json?environment_id=" + environmentId + "&to="
                + URLEncoder.encode(to, StandardCharsets.UTF_8), null);
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        JsonNode messages = response.json().path("messages");
        assertThat(messages).as("dev mailbox of %s for %s", environmentId, to).isNotEmpty();
        return messages.get(0);
    }

    static String codeIn(JsonNode mail) {
        Matcher m = CODE.matcher(mail.path("text").asText());
        assertThat(m.find()).as("a code in %s", mail).isTrue();
        return m.group(1);
    }

    static Matcher linkIn(JsonNode mail) {
        Matcher m = LINK.matcher(mail.path("text").asText());
        assertThat(m.find()).as("a magic link in %s", mail).isTrue();
        return m;
    }

    @Test
    void sendThenVerifyCodeWhenRightThenEmailAndStateBackOnceAndAudited() {
        String email = email();
        long mark = gatehouse.auditMark();

        TestGatehouse.Response sent = gatehouse.postJson(SEND, token, Map.of("email", email, "state", "xyz",
                "template", "SIGNIN"));

        assertThat(sent.status()).as("%s", sent).isEqualTo(200);
        JsonNode body = sent.json();
        String id = body.path("auth_request_id").asText();
        assertThat(id).hasSizeGreaterThanOrEqualTo(43);
        assertThat(body.path("expires_in").asInt()).isEqualTo(300);
        assertThat(body.path("expires_at").isTextual()).as("int64 as a JSON string: %s", body).isTrue();
        assertThat(Long.parseLong(body.path("expires_at").asText()))
                .isBetween(System.currentTimeMillis() / 1000 + 290, System.currentTimeMillis() / 1000 + 310);
        assertThat(body.path("passwordless_type").asText()).isEqualTo("OTP");
        JsonNode mail = lastMail(gatehouse, gatehouse.environmentId(), email);
        assertThat(mail.path("subject").asText()).isEqualTo("Your development sign-in code");
        String code = codeIn(mail);

        TestGatehouse.Response verified = gatehouse.postJson(VERIFY, token, Map.of("code", code, "auth_request_id", id));

        assertThat(verified.status()).as("%s", verified).isEqualTo(200);
        assertThat(verified.json().path("email").asText()).isEqualTo(email);
        assertThat(verified.json().path("state").asText()).isEqualTo("xyz");
        assertThat(verified.json().path("template").asText()).isEqualTo("SIGNIN");
        assertThat(verified.json().path("passwordless_type").asText()).isEqualTo("OTP");
        assertRpcStatus(gatehouse.postJson(VERIFY, token, Map.of("code", code, "auth_request_id", id)), 400, 3,
                "INVALID_ARGUMENT");
        assertThat(gatehouse.auditSince(mark, "passwordless.email.sent")).hasSize(1);
        assertThat(gatehouse.auditSince(mark, "passwordless.verified")).singleElement()
                .satisfies(r -> assertThat(r.actor()).contains(gatehouse.clientId()));
        assertThat(gatehouse.auditSince(mark, "passwordless.verify.rejected")).singleElement()
                .satisfies(r -> assertThat(r.attributes()).contains("ALREADY_USED").doesNotContain(code));
    }

    @Test
    void verifyWhenFiveWrongCodesThenSixthIs429AndTheRequestIsDead() {
        String email = email();
        String id = gatehouse.postJson(SEND, token, Map.of("email", email)).json().path("auth_request_id").asText();
        String right = codeIn(lastMail(gatehouse, gatehouse.environmentId(), email));
        String wrong = right.equals("000000") ? "000001" : "000000";
        long mark = gatehouse.auditMark();

        for (int i = 0; i < 5; i++) {
            assertInvalidArgument(gatehouse.postJson(VERIFY, token, Map.of("code", wrong, "auth_request_id", id)), "code");
        }
        TestGatehouse.Response sixth = gatehouse.postJson(VERIFY, token, Map.of("code", right, "auth_request_id", id));

        assertRpcStatus(sixth, 429, 8, "RESOURCE_EXHAUSTED");
        assertRpcStatus(gatehouse.postJson(RESEND, token, Map.of("auth_request_id", id)), 429, 8, "RESOURCE_EXHAUSTED");
        assertThat(gatehouse.auditSince(mark, "passwordless.verify.rejected")).hasSize(6);
        assertThat(gatehouse.auditSince(mark, "passwordless.resend.rejected")).hasSize(1);
    }

    @Test
    void sendWhenThirdEmailToAnAddressInAMinuteThen429WithRetryAfterIncludingResends() {
        String email = email();
        String id = gatehouse.postJson(SEND, token, Map.of("email", email)).json().path("auth_request_id").asText();
        String firstCode = codeIn(lastMail(gatehouse, gatehouse.environmentId(), email));
        TestGatehouse.Response resent = gatehouse.postJson(RESEND, token, Map.of("auth_request_id", id));
        assertThat(resent.status()).as("%s", resent).isEqualTo(200);
        assertThat(resent.json().path("auth_request_id").asText()).isEqualTo(id);
        String secondCode = codeIn(lastMail(gatehouse, gatehouse.environmentId(), email));
        long mark = gatehouse.auditMark();

        TestGatehouse.Response third = gatehouse.postJson(SEND, token, Map.of("email", email.toUpperCase()));

        assertRpcStatus(third, 429, 8, "RESOURCE_EXHAUSTED");
        assertThat(third.header("retry-after")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 60));
        assertThat(gatehouse.auditSince(mark, "passwordless.send.rejected")).singleElement()
                .satisfies(r -> assertThat(r.attributes()).contains("RATE_LIMITED"));
        if (!firstCode.equals(secondCode)) {
            assertInvalidArgument(gatehouse.postJson(VERIFY, token, Map.of("code", firstCode, "auth_request_id", id)), "code");
        }
        assertThat(gatehouse.postJson(VERIFY, token, Map.of("code", secondCode, "auth_request_id", id)).status()).isEqualTo(200);
    }

    @Test
    void magicLinkWhenSameBrowserEnforcedThenVerifyNeedsTheAuthRequestId() {
        TestGatehouse.TestEnvironment env = gatehouse.createIsolatedEnvironment();
        String envToken = gatehouse.accessToken(env);
        TestGatehouse.Response settings = gatehouse.patchJson("/api/v1/passwordless/settings", envToken,
                Map.of("passwordless_type", "LINK", "enforce_same_browser_origin", true));
        assertThat(settings.status()).as("%s", settings).isEqualTo(200);
        assertThat(settings.json().path("passwordless_type").asText()).isEqualTo("LINK");
        String email = email();
        assertInvalidArgument(gatehouse.postJson(SEND, envToken, Map.of("email", email)), "magiclink_auth_uri");

        TestGatehouse.Response sent = gatehouse.postJson(SEND, envToken, Map.of("email", email,
                "magiclink_auth_uri", "https://app.example.com/passwordless/callback"));

        assertThat(sent.json().path("passwordless_type").asText()).isEqualTo("LINK");
        String id = sent.json().path("auth_request_id").asText();
        Matcher link = linkIn(lastMail(gatehouse, env.id(), email));
        assertThat(link.group(1)).startsWith("https://app.example.com/passwordless/callback?link_token=");
        String linkToken = link.group(2);
        long mark = gatehouse.auditMark();
        assertInvalidArgument(gatehouse.postJson(VERIFY, envToken, Map.of("link_token", linkToken)), "auth_request_id");
        TestGatehouse.Response verified = gatehouse.postJson(VERIFY, envToken, Map.of("link_token", linkToken,
                "auth_request_id", id));
        assertThat(verified.status()).as("%s", verified).isEqualTo(200);
        assertThat(verified.json().path("email").asText()).isEqualTo(email);
        assertThat(verified.json().path("passwordless_type").asText()).isEqualTo("LINK");
        assertThat(gatehouse.auditSince(mark, "passwordless.verify.rejected")).singleElement()
                .satisfies(r -> assertThat(r.attributes()).contains("SAME_BROWSER_REQUIRED"));
    }

    @Test
    void magicLinkWhenNotEnforcedThenLinkTokenAloneVerifiesAndLinkOtpMailCarriesBoth() {
        TestGatehouse.TestEnvironment env = gatehouse.createIsolatedEnvironment();
        String envToken = gatehouse.accessToken(env);
        gatehouse.patchJson("/api/v1/passwordless/settings", envToken, Map.of("passwordless_type", "LINK_OTP"));
        String email = email();
        gatehouse.postJson(SEND, envToken, Map.of("email", email, "magiclink_auth_uri", "https://app.example.com/cb?x=1",
                "template", "SIGNUP", "template_variables", Map.of("first_name", "Ann")));
        JsonNode mail = lastMail(gatehouse, env.id(), email);
        assertThat(codeIn(mail)).hasSize(6);
        Matcher link = linkIn(mail);
        assertThat(link.group(1)).startsWith("https://app.example.com/cb?x=1&link_token=");

        TestGatehouse.Response verified = gatehouse.postJson(VERIFY, envToken, Map.of("link_token", link.group(2)));

        assertThat(verified.status()).as("%s", verified).isEqualTo(200);
        assertThat(verified.json().path("template").asText()).isEqualTo("SIGNUP");
        assertThat(verified.json().path("passwordless_type").asText()).isEqualTo("LINK_OTP");
    }

    @Test
    void badInputWhenSentThen4xxInTheApiShapeAndNoMail() {
        long mark = gatehouse.auditMark();
        assertInvalidArgument(gatehouse.postJson(SEND, token, Map.of("email", "not an email")), "email");
        assertInvalidArgument(gatehouse.postJson(SEND, token, Map.of("email", email(), "expires_in", 5)), "expires_in");
        assertInvalidArgument(gatehouse.postJson(SEND, token, Map.of("email", email(), "state", "s".repeat(1001))), "state");
        assertInvalidArgument(gatehouse.postJson(SEND, token, Map.of("email", email(), "template_variables",
                Map.of("otp", "123"))), "template_variables[otp]");
        assertRpcStatus(gatehouse.send("POST", SEND, token, "application/json", "{\"email\":"), 400, 3, "INVALID_ARGUMENT");
        assertRpcStatus(gatehouse.postJson(RESEND, token, Map.of("auth_request_id", "unknown-request")), 404, 5, "NOT_FOUND");
        assertInvalidArgument(gatehouse.postJson(VERIFY, token, Map.of("code", "123456", "auth_request_id", "unknown")),
                "auth_request_id");
        assertRpcStatus(gatehouse.postJson(VERIFY, token, Map.of("auth_request_id", "x")), 400, 3, "INVALID_ARGUMENT");
        assertRpcStatus(gatehouse.postJson(VERIFY, token, Map.of("code", "1".repeat(21), "auth_request_id", "x")), 400, 3,
                "INVALID_ARGUMENT");
        assertUnauthenticated(gatehouse.postJson(SEND, null, Map.of("email", email())));
        assertThat(gatehouse.auditSince(mark, "passwordless.send.rejected")).hasSize(4);
        assertThat(gatehouse.auditSince(mark, "passwordless.resend.rejected")).hasSize(1);
        assertThat(gatehouse.auditSince(mark, "passwordless.verify.rejected")).hasSize(3);
        assertThat(gatehouse.auditSince(mark, "passwordless.email.sent")).isEmpty();
    }

    @Test
    void crossEnvironmentWhenOtherEnvironmentsTokenThenItCannotVerifyResendOrReadTheMail() {
        TestGatehouse.TestEnvironment other = gatehouse.createIsolatedEnvironment();
        String otherToken = gatehouse.accessToken(other);
        String email = email();
        String id = gatehouse.postJson(SEND, token, Map.of("email", email)).json().path("auth_request_id").asText();
        String code = codeIn(lastMail(gatehouse, gatehouse.environmentId(), email));

        assertInvalidArgument(gatehouse.postJson(VERIFY, otherToken, Map.of("code", code, "auth_request_id", id)),
                "auth_request_id");
        assertRpcStatus(gatehouse.postJson(RESEND, otherToken, Map.of("auth_request_id", id)), 404, 5, "NOT_FOUND");
        assertThat(gatehouse.get("/_dev/mail.json?environment_id=" + other.id(), null).json().path("messages")).isEmpty();
        assertThat(gatehouse.get("/api/v1/passwordless/settings", otherToken).json().path("passwordless_type").asText())
                .isEqualTo("OTP");
        // The request is still usable in its own environment.
        assertThat(gatehouse.postJson(VERIFY, token, Map.of("code", code, "auth_request_id", id)).status()).isEqualTo(200);
    }

    @Test
    void devMailboxPageWhenMailSentThenListsItNewestFirstAsHtml() {
        String email = email();
        gatehouse.postJson(SEND, token, Map.of("email", email));

        TestGatehouse.Response page = gatehouse.get("/_dev/mail", null);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("Dev mailbox", email, "Your development sign-in code");
        assertThat(gatehouse.get("/_dev/mail.json?environment_id=env_unknown", null).status()).isEqualTo(404);
    }

    @Test
    void emailSettingsWhenTemplatesCustomizedThenSendUsesThemAndResetRestores() {
        TestGatehouse.TestEnvironment env = gatehouse.createIsolatedEnvironment();
        String envToken = gatehouse.accessToken(env);
        JsonNode list = gatehouse.get("/api/v1/email/templates", envToken).json().path("templates");
        assertThat(list).hasSize(6);
        TestGatehouse.Response put = gatehouse.send("PUT", "/api/v1/email/templates/passwordless_otp_signin", envToken,
                "application/json", TestGatehouse.toJson(Map.of("subject", "{{company}} code", "text_body",
                        "Hi {{first_name}}, your code is {{otp}}")));
        assertThat(put.status()).as("%s", put).isEqualTo(200);
        assertThat(put.json().path("template").path("variables").toString()).contains("company", "first_name", "otp");
        String email = email();
        assertInvalidArgument(gatehouse.postJson(SEND, envToken, Map.of("email", email)), "template_variables");

        gatehouse.postJson(SEND, envToken, Map.of("email", email, "template_variables",
                Map.of("company", "Acme", "first_name", "Ann")));

        JsonNode mail = lastMail(gatehouse, env.id(), email);
        assertThat(mail.path("subject").asText()).isEqualTo("Acme code");
        assertThat(mail.path("text").asText()).matches("Hi Ann, your code is \\d{6}");
        assertThat(gatehouse.delete("/api/v1/email/templates/passwordless_otp_signin", envToken).json()
                .path("template").path("customized").asBoolean()).isFalse();
        assertRpcStatus(gatehouse.get("/api/v1/email/templates/nope", envToken), 404, 5, "NOT_FOUND");
        assertThat(gatehouse.get("/api/v1/email/smtp", envToken).json().path("route").asText()).isEqualTo("DEV_MAILBOX");
    }
}
