package dev.gatehouse.core.user;

import java.util.Objects;
import java.util.Optional;

/** A user and their membership in one organization, if they have one there (read together, one round trip). */
public record UserWithMembership(User user, Optional<Membership> membership) {
    public UserWithMembership {
        Objects.requireNonNull(user);
        Objects.requireNonNull(membership);
    }
}
