package dev.gatehouse.core.user;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** A person who signs in to the customer's app: one profile per environment, shared by all their organizations. */
public record User(
        String id,
        String environmentId,
        String email,
        boolean emailVerified,
        Optional<String> externalId,
        Map<String, String> metadata,
        UserProfile profile,
        Instant createTime,
        Instant updateTime,
        Optional<Instant> lastLoginTime) {

    public User {
        metadata = Map.copyOf(metadata);
    }
}
