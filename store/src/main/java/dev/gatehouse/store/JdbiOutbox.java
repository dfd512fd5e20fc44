package dev.gatehouse.store;

import dev.gatehouse.core.event.Event;
import dev.gatehouse.core.event.Outbox;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Appends an event and, in the same statement batch and transaction, one pending delivery for every
 * enabled webhook endpoint of the environment that subscribes to the event's type. So a delivery
 * exists iff its event committed, and no separate fan-out stage can reorder or lose events.
 *
 * <p>Listeners registered with {@link #afterCommit} run once the transaction that queued deliveries has
 * committed (the dispatcher of this node wakes up instead of waiting for its next poll, D-AW3).
 */
public final class JdbiOutbox implements Outbox {
    private final JdbiTransactions tx;
    private final List<Runnable> committed = new CopyOnWriteArrayList<>();

    public JdbiOutbox(JdbiTransactions tx) {
        this.tx = tx;
    }

    /** Runs {@code listener} after each commit that queued at least one delivery; it must be quick and not throw. */
    public void afterCommit(Runnable listener) {
        committed.add(listener);
    }

    private void notifyCommitted() {
        for (Runnable listener : committed) {
            listener.run();
        }
    }

    @Override
    public void append(Event event) {
        tx.inTransaction(() -> tx.withHandle(h -> {
            long seq = h.createUpdate("""
                            insert into events (id, environment_id, organization_id, object, type, occurred_at, data)
                            values (:id, :env, :org, :object, :type, :occurred, :data)""")
                    .bind("id", event.id())
                    .bind("env", event.environmentId())
                    .bind("org", event.organizationId().orElse(null))
                    .bind("object", event.object())
                    .bind("type", event.type())
                    .bind("occurred", Timestamps.bind(event.occurredAt()))
                    .bind("data", event.dataJson())
                    .executeAndReturnGeneratedKeys("seq").mapTo(Long.class).one();
            List<String> endpoints = h.createQuery(
                            "select id, event_types from webhook_endpoints where environment_id = :env and enabled = true")
                    .bind("env", event.environmentId())
                    .map((rs, ctx) -> subscribes(rs.getString("event_types"), event.type())
                            ? rs.getString("id") : null)
                    .list().stream().filter(java.util.Objects::nonNull).toList();
            if (!endpoints.isEmpty()) {
                var batch = h.prepareBatch("""
                        insert into webhook_deliveries (environment_id, endpoint_id, event_seq, order_key, status, attempts,
                                                        next_attempt_at, create_time)
                        values (:env, :endpoint, :seq, :order_key, 'PENDING', 0, :now, :now)""");
                for (String endpoint : endpoints) {
                    batch.bind("env", event.environmentId()).bind("endpoint", endpoint).bind("seq", seq)
                            .bind("order_key", event.organizationId().orElse(""))
                            .bind("now", Timestamps.bind(event.occurredAt())).add();
                }
                batch.execute();
                if (!committed.isEmpty()) {
                    h.afterCommit(this::notifyCommitted);
                }
            }
            return null;
        }));
    }

    /** Whether a stored filter (comma-separated types, empty = every type) lets {@code type} through. */
    static boolean subscribes(String storedFilter, String type) {
        if (storedFilter == null || storedFilter.isEmpty()) {
            return true;
        }
        for (String t : storedFilter.split(",")) {
            if (t.equals(type)) {
                return true;
            }
        }
        return false;
    }
}
