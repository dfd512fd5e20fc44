package dev.gatehouse.core.passwordless;

import java.time.Instant;
import java.util.Optional;

/** What {@link PasswordlessService#verifyCode} and {@link PasswordlessService#verifyLink} decided. */
public sealed interface VerifyResult {

    /** The email address is proven. The request is used up: a second verify is {@link Failure#ALREADY_USED}. */
    record Verified(String authRequestId, String environmentId, String email, PasswordlessType type,
                    Optional<PasswordlessIntent> intent, Optional<String> state, Instant verifiedAt) implements VerifyResult {}

    /** Refused; {@code attemptsLeft} is how many wrong codes the request still takes (0 when dead or unknown). */
    record Rejected(Failure failure, String message, int attemptsLeft) implements VerifyResult {}

    enum Failure {
        /** Empty or oversized code, link token or ID: 400. */
        MALFORMED,
        /** No such auth_request_id in this environment: 400. */
        UNKNOWN_REQUEST,
        /** The code does not match (counts as a failed attempt): 400. */
        WRONG_CODE,
        /** No request has this link token: 400 ("The magic link is invalid or has expired"). */
        INVALID_LINK,
        /** The code or link has expired: 400. */
        EXPIRED,
        /** The request was already verified (replay): 400. */
        ALREADY_USED,
        /** 5 wrong codes: the request is dead, start over: 429 / RESOURCE_EXHAUSTED. */
        TOO_MANY_ATTEMPTS,
        /** Same-browser enforcement is on and the link came without auth_request_id: 400. */
        SAME_BROWSER_REQUIRED,
        /** The link came with another request's auth_request_id (counts as a failed attempt): 400. */
        WRONG_BROWSER,
        /** A code for a LINK request, or a link token for an OTP request: 400. */
        WRONG_METHOD
    }
}
