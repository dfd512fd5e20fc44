package dev.gatehouse.core.passwordless;

import static dev.gatehouse.core.passwordless.PasswordlessFixture.ENV;
import static dev.gatehouse.core.passwordless.PasswordlessFixture.ORIGIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.mail.EmailTemplate;
import dev.gatehouse.core.shared.DomainException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PasswordlessServiceTest {
    private final PasswordlessFixture f = new PasswordlessFixture();

    @Test
    void sendWhenOtpThenEmailCarriesSixDigitCodeAndOnlyItsHashIsStored() {
        SendResult.Sent sent = f.sent(f.service.send(ENV, PasswordlessFixture.otp("Ann@Example.com"), ORIGIN));

        assertThat(sent.type()).isEqualTo(PasswordlessType.OTP);
        assertThat(sent.expiresIn()).isEqualTo(Duration.ofSeconds(300));
        assertThat(sent.expiresAt()).isEqualTo(f.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS)
                .plusSeconds(300));
        assertThat(sent.authRequestId()).hasSizeGreaterThanOrEqualTo(43);
        String code = f.lastCode();
        assertThat(code).matches("\\d{6}");
        assertThat(f.lastMail().to()).isEqualTo("Ann@Example.com");
        assertThat(f.lastMail().subject()).isEqualTo("Your Acme sign-in code");
        assertThat(f.lastMail().textBody()).contains("5 minutes").doesNotContain("{{");
        PasswordlessRequest stored = f.requests.values().iterator().next();
        assertThat(stored.codeHash()).isPresent().get().asString().doesNotContain(code).hasSize(64);
        assertThat(stored.linkTokenHash()).isEmpty();
        assertThat(f.audit(PasswordlessService.AUDIT_SENT)).hasSize(1);
    }

    @Test
    void verifyCodeWhenRightThenVerifiedWithEmailStateAndTypeOnce() {
        SendResult.Sent sent = f.sent(f.service.send(ENV, PasswordlessFixture.otp("ann@example.com"), ORIGIN));

        VerifyResult result = f.service.verifyCode(ENV, sent.authRequestId(), f.lastCode(), ORIGIN);

        assertThat(result).isInstanceOfSatisfying(VerifyResult.Verified.class, v -> {
            assertThat(v.email()).isEqualTo("ann@example.com");
            assertThat(v.authRequestId()).isEqualTo(sent.authRequestId());
            assertThat(v.type()).isEqualTo(PasswordlessType.OTP);
            assertThat(v.state()).contains("st-1");
            assertThat(v.intent()).isEmpty();
        });
        assertThat(f.audit(PasswordlessService.AUDIT_VERIFIED)).hasSize(1);
        VerifyResult replay = f.service.verifyCode(ENV, sent.authRequestId(), f.lastCode(), ORIGIN);
        assertThat(replay).isInstanceOfSatisfying(VerifyResult.Rejected.class,
                r -> assertThat(r.failure()).isEqualTo(VerifyResult.Failure.ALREADY_USED));
    }

    @Test
    void verifyCodeWhenFiveWrongCodesThenRequestIsDeadEvenForTheRightCode() {
        SendResult.Sent sent = f.sent(f.service.send(ENV, PasswordlessFixture.otp("ann@example.com"), ORIGIN));
        String right = f.lastCode();
        String wrong = right.equals("000000") ? "111111" : "000000";

        for (int i = 1; i <= 5; i++) {
            VerifyResult r = f.service.verifyCode(ENV, sent.authRequestId(), wrong, ORIGIN);
            int left = 5 - i;
            assertThat(r).isInstanceOfSatisfying(VerifyResult.Rejected.class, rejected -> {
                assertThat(rejected.failure()).isEqualTo(VerifyResult.Failure.WRONG_CODE);
                assertThat(rejected.attemptsLeft()).isEqualTo(left);
            });
        }
        VerifyResult sixth = f.service.verifyCode(ENV, sent.authRequestId(), right, ORIGIN);

        assertThat(sixth).isInstanceOfSatisfying(VerifyResult.Rejected.class,
                r -> assertThat(r.failure()).isEqualTo(VerifyResult.Failure.TOO_MANY_ATTEMPTS));
        assertThat(f.audit(PasswordlessService.AUDIT_VERIFY_REJECTED)).hasSize(6)
                .allSatisfy(a -> {
                    assertThat(a.outcome()).isEqualTo(AuditRecord.Outcome.FAILURE);
                    assertThat(a.attributes()).containsEntry("auth_request_id", sent.authRequestId());
                    assertThat(a.reason().orElseThrow()).doesNotContain(right);
                });
        assertThat(f.service.resend(ENV, sent.authRequestId(), ORIGIN)).isInstanceOfSatisfying(SendResult.Refused.class,
                r -> assertThat(r.failure()).isEqualTo(SendResult.Failure.TOO_MANY_ATTEMPTS));
    }

    @Test
    void verifyCodeWhenExpiredThenExpiredAndAudited() {
        SendResult.Sent sent = f.sent(f.service.send(ENV, PasswordlessFixture.otp("ann@example.com"), ORIGIN));
        f.clock.advance(Duration.ofSeconds(300));

        VerifyResult result = f.service.verifyCode(ENV, sent.authRequestId(), f.lastCode(), ORIGIN);

        assertThat(result).isInstanceOfSatisfying(VerifyResult.Rejected.class,
                r -> assertThat(r.failure()).isEqualTo(VerifyResult.Failure.EXPIRED));
        assertThat(f.audit(PasswordlessService.AUDIT_VERIFY_REJECTED)).singleElement()
                .satisfies(a -> assertThat(a.attributes()).containsEntry("failure", "EXPIRED"));
    }

    @Test
    void verifyCodeWhenJustBeforeExpiryThenVerified() {
        SendResult.Sent sent = f.sent(f.service.send(ENV, PasswordlessFixture.otp("ann@example.com"), ORIGIN));
        f.clock.advance(Duration.ofSeconds(299));

        assertThat(f.service.verifyCode(ENV, sent.authRequestId(), f.lastCode(), ORIGIN))
                .isInstanceOf(VerifyResult.Verified.class);
    }

    @Test
    void sendWhenThirdEmailToAddressWithinMinuteThenRateLimitedWithRetryAfterAndCaseIgnored() {
        f.sent(f.service.send(ENV, PasswordlessFixture.otp("ann@example.com"), ORIGIN));
        f.clock.advance(Duration.ofSeconds(20));
        f.sent(f.service.send(ENV, PasswordlessFixture.otp("ANN@example.com"), ORIGIN));
        f.clock.advance(Duration.ofSeconds(10));

        SendResult third = f.service.send(ENV, PasswordlessFixture.otp("ann@EXAMPLE.com"), ORIGIN);

        assertThat(third).isInstanceOfSatisfying(SendResult.Refused.class, r -> {
            assertThat(r.failure()).isEqualTo(SendResult.Failure.RATE_LIMITED);
            assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        });
        assertThat(f.sent).hasSize(2);
        assertThat(f.audit(PasswordlessService.AUDIT_SEND_REJECTED)).singleElement()
                .satisfies(a -> assertThat(a.attributes()).containsEntry("failure", "RATE_LIMITED"));
        f.clock.advance(Duration.ofSeconds(30));
        assertThat(f.service.send(ENV, PasswordlessFixture.otp("ann@example.com"), ORIGIN)).isInstanceOf(SendResult.Sent.class);
    }

    @Test
    void resendWhenAllowedThenNewCodeSameIdOldCodeDeadAndResendCountsTowardsLimit() {
        SendResult.Sent first = f.sent(f.service.send(ENV, PasswordlessFixture.otp("ann@example.com"), ORIGIN));
        String oldCode = f.lastCode();
        f.clock.advance(Duration.ofSeconds(20));

        SendResult.Sent again = f.sent(f.service.resend(ENV, first.authRequestId(), ORIGIN));

        assertThat(again.authRequestId()).isEqualTo(first.authRequestId());
        assertThat(again.expiresAt()).isAfter(first.expiresAt());
        String newCode = f.lastCode();
        if (!newCode.equals(oldCode)) {
            assertThat(f.service.verifyCode(ENV, first.authRequestId(), oldCode, ORIGIN))
                    .isInstanceOf(VerifyResult.Rejected.class);
        }
        assertThat(f.service.resend(ENV, first.authRequestId(), ORIGIN)).isInstanceOfSatisfying(SendResult.Refused.class,
                r -> assertThat(r.failure()).isEqualTo(SendResult.Failure.RATE_LIMITED));
        assertThat(f.audit(PasswordlessService.AUDIT_RESEND_REJECTED)).hasSize(1);
        assertThat(f.service.verifyCode(ENV, first.authRequestId(), newCode, ORIGIN)).isInstanceOf(VerifyResult.Verified.class);
    }

    @Test
    void resendWhenUnknownIdThenUnknownRequestAndAudited() {
        assertThat(f.service.resend(ENV, "nope", ORIGIN)).isInstanceOfSatisfying(SendResult.Refused.class,
                r -> assertThat(r.failure()).isEqualTo(SendResult.Failure.UNKNOWN_REQUEST));
        assertThat(f.audit(PasswordlessService.AUDIT_RESEND_REJECTED)).hasSize(1);
    }

    @Test
    void verifyLinkWhenSameBrowserEnforcedThenAuthRequestIdRequiredAndMustMatch() {
        f.service.updateSettings(ENV, Optional.of(PasswordlessType.LINK), Optional.of(true));
        SendResult.Sent mine = f.sent(f.service.send(ENV, PasswordlessFixture.link("ann@example.com"), ORIGIN));
        String token = f.lastLinkToken();
        assertThat(f.lastMail().textBody()).contains("https://app.example.com/auth/callback?link_token=" + token);
        SendResult.Sent other = f.sent(f.service.send(ENV, PasswordlessFixture.link("bob@example.com"), ORIGIN));

        VerifyResult without = f.service.verifyLink(ENV, token, Optional.empty(), ORIGIN);
        VerifyResult wrongBrowser = f.service.verifyLink(ENV, token, Optional.of(other.authRequestId()), ORIGIN);
        VerifyResult right = f.service.verifyLink(ENV, token, Optional.of(mine.authRequestId()), ORIGIN);

        assertThat(without).isInstanceOfSatisfying(VerifyResult.Rejected.class,
                r -> assertThat(r.failure()).isEqualTo(VerifyResult.Failure.SAME_BROWSER_REQUIRED));
        assertThat(wrongBrowser).isInstanceOfSatisfying(VerifyResult.Rejected.class,
                r -> assertThat(r.failure()).isEqualTo(VerifyResult.Failure.WRONG_BROWSER));
        assertThat(right).isInstanceOfSatisfying(VerifyResult.Verified.class, v -> {
            assertThat(v.email()).isEqualTo("ann@example.com");
            assertThat(v.type()).isEqualTo(PasswordlessType.LINK);
            assertThat(v.intent()).contains(PasswordlessIntent.SIGNIN);
        });
        assertThat(f.audit(PasswordlessService.AUDIT_VERIFY_REJECTED)).extracting(a -> a.attributes().get("failure"))
                .containsExactly("SAME_BROWSER_REQUIRED", "WRONG_BROWSER");
    }

    @Test
    void verifyLinkWhenNotEnforcedThenWorksWithoutAuthRequestIdAndOnlyOnce() {
        f.service.updateSettings(ENV, Optional.of(PasswordlessType.LINK_OTP), Optional.empty());
        f.sent(f.service.send(ENV, PasswordlessFixture.link("ann@example.com"), ORIGIN));
        String token = f.lastLinkToken();
        assertThat(f.lastCode()).matches("\\d{6}");

        assertThat(f.service.verifyLink(ENV, token, Optional.empty(), ORIGIN)).isInstanceOf(VerifyResult.Verified.class);
        assertThat(f.service.verifyLink(ENV, token, Optional.empty(), ORIGIN)).isInstanceOfSatisfying(
                VerifyResult.Rejected.class, r -> assertThat(r.failure()).isEqualTo(VerifyResult.Failure.ALREADY_USED));
        assertThat(f.service.verifyLink(ENV, token + "x", Optional.empty(), ORIGIN)).isInstanceOfSatisfying(
                VerifyResult.Rejected.class, r -> assertThat(r.failure()).isEqualTo(VerifyResult.Failure.INVALID_LINK));
    }

    @Test
    void verifyWhenOtherEnvironmentThenUnknown() {
        SendResult.Sent sent = f.sent(f.service.send(ENV, PasswordlessFixture.otp("ann@example.com"), ORIGIN));

        assertThat(f.service.verifyCode("env_other", sent.authRequestId(), f.lastCode(), ORIGIN)).isInstanceOfSatisfying(
                VerifyResult.Rejected.class, r -> assertThat(r.failure()).isEqualTo(VerifyResult.Failure.UNKNOWN_REQUEST));
        assertThat(f.service.resend("env_other", sent.authRequestId(), ORIGIN)).isInstanceOfSatisfying(
                SendResult.Refused.class, r -> assertThat(r.failure()).isEqualTo(SendResult.Failure.UNKNOWN_REQUEST));
    }

    @Test
    void verifyCodeWhenLinkOnlyRequestThenWrongMethod() {
        f.service.updateSettings(ENV, Optional.of(PasswordlessType.LINK), Optional.empty());
        SendResult.Sent sent = f.sent(f.service.send(ENV, PasswordlessFixture.link("ann@example.com"), ORIGIN));

        assertThat(f.service.verifyCode(ENV, sent.authRequestId(), "123456", ORIGIN)).isInstanceOfSatisfying(
                VerifyResult.Rejected.class, r -> assertThat(r.failure()).isEqualTo(VerifyResult.Failure.WRONG_METHOD));
    }

    @Test
    void sendWhenInvalidInputThenInvalidArgumentNamingFieldsAndAudited() {
        f.service.updateSettings(ENV, Optional.of(PasswordlessType.LINK), Optional.empty());

        assertThatThrownBy(() -> f.service.send(ENV, PasswordlessFixture.otp("not-an-email"), ORIGIN))
                .isInstanceOfSatisfying(DomainException.InvalidArgument.class, e -> assertThat(e.violations())
                        .extracting(v -> v.field()).contains("email", "magiclink_auth_uri"));
        assertThatThrownBy(() -> f.service.send(ENV, SendPasswordless.headless("ann@example.com", Optional.empty(),
                Optional.of("javascript:alert(1)"), Optional.empty(), Optional.of(Duration.ofSeconds(10)),
                Map.of("otp", "x")), ORIGIN))
                .isInstanceOfSatisfying(DomainException.InvalidArgument.class, e -> assertThat(e.violations())
                        .extracting(v -> v.field()).contains("magiclink_auth_uri", "expires_in", "template_variables[otp]"));
        assertThat(f.audit(PasswordlessService.AUDIT_SEND_REJECTED)).hasSize(2);
        assertThat(f.sent).isEmpty();
    }

    @Test
    void sendWhenCustomTemplateUsesVariablesThenRenderedAndMissingOnesAre400() {
        f.service.updateSettings(ENV, Optional.empty(), Optional.empty());
        f.templateOverrides.put(ENV + "/passwordless_otp_signup", new EmailTemplate("Hi {{ first_name }}: {{otp}}",
                "Code {{otp}} for {{app_name}}, valid {{expiry_minutes}} min", Optional.of("<b>{{first_name}}</b>")));
        SendPasswordless signup = SendPasswordless.headless("ann@example.com", Optional.of(PasswordlessIntent.SIGNUP),
                Optional.empty(), Optional.empty(), Optional.of(Duration.ofMinutes(10)), Map.of("first_name", "<Ann>"));

        f.sent(f.service.send(ENV, signup, ORIGIN));

        assertThat(f.lastMail().subject()).matches("Hi <Ann>: \\d{6}");
        assertThat(f.lastMail().textBody()).matches("Code \\d{6} for Acme, valid 10 min");
        assertThat(f.lastMail().htmlBody()).contains("<b>&lt;Ann&gt;</b>");
        SendPasswordless without = SendPasswordless.headless("bob@example.com", Optional.of(PasswordlessIntent.SIGNUP),
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of());
        assertThatThrownBy(() -> f.service.send(ENV, without, ORIGIN))
                .isInstanceOf(DomainException.InvalidArgument.class).hasMessageContaining("first_name");
    }

    @Test
    void sendWhenMailFailsThenRefusedRequestForgottenAndAudited() {
        f.mailFails = true;

        SendResult result = f.service.send(ENV, PasswordlessFixture.otp("ann@example.com"), ORIGIN);

        assertThat(result).isInstanceOfSatisfying(SendResult.Refused.class,
                r -> assertThat(r.failure()).isEqualTo(SendResult.Failure.MAIL_FAILED));
        assertThat(f.requests).isEmpty();
        assertThat(f.audit(PasswordlessService.AUDIT_SEND_REJECTED)).hasSize(1);
    }

    @Test
    void sendWhenHostedLoginOverridesTypeAndLinkUriWithQueryThenLinkAppendedWithAmpersand() {
        SendPasswordless hosted = new SendPasswordless("ann@example.com", Optional.of(PasswordlessIntent.SIGNIN),
                Optional.of("https://auth.example.com/login/magic?login=abc"), Optional.empty(), Optional.empty(), Map.of(),
                Optional.of(PasswordlessType.LINK_OTP), Optional.of(true), Optional.of("Acme Cloud"));

        SendResult.Sent sent = f.sent(f.service.send(ENV, hosted, ORIGIN));

        assertThat(sent.type()).isEqualTo(PasswordlessType.LINK_OTP);
        assertThat(f.lastMail().textBody()).contains("https://auth.example.com/login/magic?login=abc&link_token=");
        assertThat(f.lastMail().subject()).isEqualTo("Sign in to Acme Cloud");
        assertThat(f.service.verifyLink(ENV, f.lastLinkToken(), Optional.empty(), ORIGIN)).isInstanceOfSatisfying(
                VerifyResult.Rejected.class, r -> assertThat(r.failure()).isEqualTo(VerifyResult.Failure.SAME_BROWSER_REQUIRED));
    }

    @Test
    void verifyWhenMalformedInputThenMalformedAndAudited() {
        assertThat(f.service.verifyCode(ENV, "id", "", ORIGIN)).isInstanceOfSatisfying(VerifyResult.Rejected.class,
                r -> assertThat(r.failure()).isEqualTo(VerifyResult.Failure.MALFORMED));
        assertThat(f.service.verifyCode(ENV, null, "123456", ORIGIN)).isInstanceOfSatisfying(VerifyResult.Rejected.class,
                r -> assertThat(r.failure()).isEqualTo(VerifyResult.Failure.MALFORMED));
        assertThat(f.service.verifyLink(ENV, "x".repeat(101), Optional.empty(), ORIGIN)).isInstanceOfSatisfying(
                VerifyResult.Rejected.class, r -> assertThat(r.failure()).isEqualTo(VerifyResult.Failure.MALFORMED));
        assertThat(f.audit(PasswordlessService.AUDIT_VERIFY_REJECTED)).hasSize(3);
    }
}
