package dev.gatehouse.core.passwordless;

import dev.gatehouse.core.mail.Mailer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** What {@link PasswordlessService#send} and {@link PasswordlessService#resend} did. */
public sealed interface SendResult {

    /** The email went out (or into the dev mailbox: {@code delivery}). */
    record Sent(String authRequestId, String environmentId, String email, PasswordlessType type,
                Optional<PasswordlessIntent> intent, Instant expiresAt, Duration expiresIn, Mailer.Delivery delivery)
            implements SendResult {}

    /** Nothing was sent. {@code retryAfter} is set (non-zero) for {@link Failure#RATE_LIMITED}. */
    record Refused(Failure failure, String message, Duration retryAfter) implements SendResult {}

    enum Failure {
        /** More than 2 emails to this address in the last minute: 429 / RESOURCE_EXHAUSTED with Retry-After. */
        RATE_LIMITED,
        /** Resend of an auth_request_id this environment does not know: 404 / NOT_FOUND. */
        UNKNOWN_REQUEST,
        /** Resend of a request already verified: 400 / FAILED_PRECONDITION. */
        ALREADY_VERIFIED,
        /** Resend of a request killed by wrong codes: 429 / RESOURCE_EXHAUSTED (start over with send). */
        TOO_MANY_ATTEMPTS,
        /** The environment has no SMTP server and the dev mailbox is off: 400 / FAILED_PRECONDITION. */
        MAIL_NOT_CONFIGURED,
        /** The SMTP server could not be reached or refused the message: 503 / UNAVAILABLE. */
        MAIL_FAILED
    }
}
