package dev.gatehouse.core.event;

/**
 * Where producers append events. Call it inside the transaction of the change the event describes
 * ({@link dev.gatehouse.core.shared.Transactions#inTransaction}): the event is stored, and queued for
 * every enabled webhook endpoint of the environment that subscribes to its type, if and only if the change commits.
 */
public interface Outbox {
    void append(Event event);
}
