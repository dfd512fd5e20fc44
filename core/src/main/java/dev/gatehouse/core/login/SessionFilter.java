package dev.gatehouse.core.login;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Which of a user's sessions to list: by status (empty = all) and by creation time ({@code [from, to)}). */
public record SessionFilter(Set<SessionStatus> statuses, Optional<Instant> createdFrom, Optional<Instant> createdBefore) {
    public SessionFilter {
        statuses = Set.copyOf(statuses);
    }

    public static SessionFilter all() {
        return new SessionFilter(Set.of(), Optional.empty(), Optional.empty());
    }
}
