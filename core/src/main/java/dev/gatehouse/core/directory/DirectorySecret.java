package dev.gatehouse.core.directory;

import dev.gatehouse.core.credential.SecretHash;
import java.time.Instant;
import java.util.Optional;

/**
 * A SCIM bearer token of a directory: only its SHA-256 hash and last four characters are stored.
 * A secret is valid while it is ACTIVE and before its expiry (set on the previous secret when a new one is generated).
 */
public record DirectorySecret(
        String id,
        String directoryId,
        SecretHash hash,
        String suffix,
        boolean active,
        Instant createTime,
        Optional<Instant> expireTime,
        Optional<Instant> lastUsedTime) {

    public boolean isValidAt(Instant now) {
        return active && expireTime.map(now::isBefore).orElse(true);
    }
}
