package dev.gatehouse.core.user;

import java.util.Map;
import java.util.Optional;

/** A create request, parsed from the wire but not yet validated. */
public record NewUser(String email, Optional<String> externalId, Map<String, String> metadata, UserProfile profile) {
    public NewUser {
        metadata = Map.copyOf(metadata);
    }
}
