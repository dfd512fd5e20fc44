package dev.gatehouse.core.passwordless;

import dev.gatehouse.core.login.EmailChallenges;
import java.util.Map;
import java.util.Optional;

/**
 * The hosted login's {@link EmailChallenges}, served by {@link PasswordlessService}: the environment's passwordless
 * type decides whether a code, a link or both are sent; the hosted login always enforces the same browser (its
 * links are accepted only together with the challenge ID that browser's login holds).
 */
public final class HostedLoginEmails implements EmailChallenges {
    private final PasswordlessService passwordless;

    public HostedLoginEmails(PasswordlessService passwordless) {
        this.passwordless = passwordless;
    }

    @Override
    public Sent send(String environmentId, String email, String linkUrl, String brandName) {
        PasswordlessType type = passwordless.settings(environmentId).type();
        SendPasswordless request = new SendPasswordless(email, Optional.of(PasswordlessIntent.SIGNIN),
                type.sendsLink() ? Optional.of(linkUrl) : Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
                Optional.of(type), Optional.of(true), Optional.of(brandName));
        return switch (passwordless.send(environmentId, request, PasswordlessOrigin.UNKNOWN)) {
            case SendResult.Sent sent -> new Sent(sent.authRequestId(), sent.expiresAt());
            case SendResult.Refused refused when refused.failure() == SendResult.Failure.RATE_LIMITED ->
                    throw new TooManyEmails(refused.retryAfter());
            case SendResult.Refused refused -> throw new IllegalStateException("sign-in email not sent: " + refused.message());
        };
    }

    @Override
    public Method method(String environmentId) {
        return switch (passwordless.settings(environmentId).type()) {
            case OTP -> Method.CODE;
            case LINK -> Method.LINK;
            case LINK_OTP -> Method.CODE_AND_LINK;
        };
    }

    @Override
    public Result verifyCode(String environmentId, String challengeId, String code) {
        return result(passwordless.verifyCode(environmentId, challengeId, code, PasswordlessOrigin.UNKNOWN), false);
    }

    @Override
    public Result verifyLink(String environmentId, String linkToken, String challengeId) {
        return result(passwordless.verifyLink(environmentId, linkToken, Optional.of(challengeId),
                PasswordlessOrigin.UNKNOWN), true);
    }

    private static Result result(VerifyResult result, boolean byLink) {
        return switch (result) {
            case VerifyResult.Verified verified -> new Result.Verified(verified.email(), verified.authRequestId(), byLink);
            case VerifyResult.Rejected rejected -> new Result.Refused(
                    rejected.failure().name().toLowerCase(java.util.Locale.ROOT), rejected.failure() + ": " + rejected.message(),
                    rejected.attemptsLeft() == 0 && rejected.failure() != VerifyResult.Failure.MALFORMED);
        };
    }
}
