package dev.gatehouse.core.shared;

import java.util.Optional;

/** Which page to read: a size already checked against the resource's limits, and an optional cursor. */
public record PageRequest(int size, Optional<PageCursor> cursor) {
    public PageRequest {
        if (size < 1) {
            throw new IllegalArgumentException("page size must be positive");
        }
    }

    public static PageRequest first(int size) {
        return new PageRequest(size, Optional.empty());
    }
}
