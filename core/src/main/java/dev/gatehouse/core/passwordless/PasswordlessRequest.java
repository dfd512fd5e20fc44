package dev.gatehouse.core.passwordless;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One passwordless authentication request as stored: the code and link token only as hashes.
 * {@code failedAttempts} counts wrong codes (and links presented with another request's ID); at
 * {@link PasswordlessService#MAX_FAILED_ATTEMPTS} the request is dead.
 */
public record PasswordlessRequest(String id, String environmentId, String email, PasswordlessType type,
                                  Optional<PasswordlessIntent> intent, Optional<String> state, Optional<String> codeHash,
                                  Optional<String> linkTokenHash, Optional<String> magicLinkUri,
                                  Map<String, String> templateVariables, Optional<String> appName,
                                  boolean enforceSameBrowser, Duration expiresIn, Instant expiresAt, Instant createTime,
                                  Instant lastSentAt, int sendCount, int failedAttempts, Optional<Instant> verifiedAt) {
    public PasswordlessRequest {
        templateVariables = Map.copyOf(templateVariables);
    }

    boolean dead() {
        return failedAttempts >= PasswordlessService.MAX_FAILED_ATTEMPTS;
    }

    boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    PasswordlessRequest withFailedAttempt() {
        return new PasswordlessRequest(id, environmentId, email, type, intent, state, codeHash, linkTokenHash, magicLinkUri,
                templateVariables, appName, enforceSameBrowser, expiresIn, expiresAt, createTime, lastSentAt, sendCount,
                failedAttempts + 1, verifiedAt);
    }

    PasswordlessRequest verified(Instant now) {
        return new PasswordlessRequest(id, environmentId, email, type, intent, state, codeHash, linkTokenHash, magicLinkUri,
                templateVariables, appName, enforceSameBrowser, expiresIn, expiresAt, createTime, lastSentAt, sendCount,
                failedAttempts, Optional.of(now));
    }

    PasswordlessRequest resent(Optional<String> newCodeHash, Optional<String> newLinkTokenHash, Instant now) {
        return new PasswordlessRequest(id, environmentId, email, type, intent, state, newCodeHash, newLinkTokenHash,
                magicLinkUri, templateVariables, appName, enforceSameBrowser, expiresIn, now.plus(expiresIn), createTime, now,
                sendCount + 1, failedAttempts, verifiedAt);
    }

    @Override
    public String toString() {
        return "PasswordlessRequest[id=" + id + ", environment=" + environmentId + ", type=" + type + "]";
    }
}
