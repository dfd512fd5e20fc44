package dev.gatehouse.core.shared;

import java.util.List;
import java.util.Optional;

/** One page of a keyset-paginated listing, with cursors for the pages beside it. */
public record Page<T>(List<T> items, Optional<PageCursor> next, Optional<PageCursor> previous, long totalSize) {
    public Page {
        items = List.copyOf(items);
    }
}
