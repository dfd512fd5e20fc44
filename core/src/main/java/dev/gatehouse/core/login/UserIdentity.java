package dev.gatehouse.core.login;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** A stored link between a user and an identity provider's account (the {@code identities[]} of a user). */
public record UserIdentity(
        String environmentId,
        String userId,
        String connectionId,
        String subject,
        Optional<String> organizationId,
        String connectionType,
        String providerName,
        boolean social,
        String email,
        Map<String, String> rawAttributes,
        Instant createTime,
        Instant lastLoginTime) {

    public UserIdentity {
        rawAttributes = Map.copyOf(rawAttributes);
    }
}
