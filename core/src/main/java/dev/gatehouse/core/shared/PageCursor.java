package dev.gatehouse.core.shared;

/**
 * A position in a listing ordered by ID: the items strictly after (FORWARD) or strictly before
 * (BACKWARD) {@code anchorId}. The wire form is opaque to clients; see the http layer's page tokens.
 */
public record PageCursor(Direction direction, String anchorId) {
    public enum Direction { FORWARD, BACKWARD }

    public static PageCursor after(String id) {
        return new PageCursor(Direction.FORWARD, id);
    }

    public static PageCursor before(String id) {
        return new PageCursor(Direction.BACKWARD, id);
    }
}
