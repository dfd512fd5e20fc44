package dev.gatehouse.core.login;

import java.time.Duration;
import java.time.Instant;

/**
 * Proves that a person reads an address: sends a one-time code and/or a magic link, then checks what comes back.
 * The hosted login's port onto passwordless email (spec §2).
 */
public interface EmailChallenges {
    /**
     * Sends to {@code email}. {@code linkUrl} is where the magic link points; the link token is appended as the
     * {@code link_token} query parameter.
     */
    Sent send(String environmentId, String email, String linkUrl, String brandName);

    /** What the environment's sign-in emails carry: a code, a link, or both. */
    Method method(String environmentId);

    enum Method {
        CODE, LINK, CODE_AND_LINK;

        public boolean sendsCode() {
            return this != LINK;
        }

        public boolean sendsLink() {
            return this != CODE;
        }
    }

    Result verifyCode(String environmentId, String challengeId, String code);

    /** A magic link, accepted only together with the challenge its browser started ({@code challengeId}). */
    Result verifyLink(String environmentId, String linkToken, String challengeId);

    record Sent(String challengeId, Instant expiresAt) {}

    sealed interface Result {
        /** The code or link was right: {@code email} is proven. */
        record Verified(String email, String challengeId, boolean byLink) implements Result {}

        /**
         * Refused; {@code code} is the machine-readable cause for the audit trail ({@code wrong_code}, {@code expired},
         * {@code too_many_attempts}, ...), {@code dead} means the challenge can no longer succeed (expired, used, or
         * too many attempts).
         */
        record Refused(String code, String reason, boolean dead) implements Result {}
    }

    /** Thrown by {@link #send} when the address has had too many emails lately. */
    final class TooManyEmails extends RuntimeException {
        private final Duration retryAfter;

        public TooManyEmails(Duration retryAfter) {
            super("too many emails to this address; retry after " + retryAfter.toSeconds() + " s");
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }
}
