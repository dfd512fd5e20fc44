package dev.gatehouse.core.directory;

/**
 * SEAM for the webhooks branch: where directory changes go. It is called inside the transaction of the
 * change, so an implementation that inserts into the events outbox commits or rolls back with it.
 * Until the outbox exists, {@link #NONE} drops events (docs/DECISIONS.md D-S7).
 */
@FunctionalInterface
public interface DirectoryEventSink {
    DirectoryEventSink NONE = event -> { };

    void publish(DirectoryEvent event);
}
