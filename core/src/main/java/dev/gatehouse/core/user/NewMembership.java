package dev.gatehouse.core.user;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A membership to create: role names (empty = the environment's default role), metadata, and who invited. */
public record NewMembership(List<String> roles, Map<String, String> metadata, Optional<String> inviterEmail) {
    public NewMembership {
        roles = List.copyOf(roles);
        metadata = Map.copyOf(metadata);
    }

    public static NewMembership defaults() {
        return new NewMembership(List.of(), Map.of(), Optional.empty());
    }
}
