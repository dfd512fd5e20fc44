package dev.gatehouse.store;

import dev.gatehouse.core.event.Event;
import dev.gatehouse.core.event.Outbox;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/**
 * Appends events and, in the same transaction, one pending delivery for every enabled webhook endpoint of the
 * event's environment that subscribes to the event's type. So a delivery exists iff its event committed, and no
 * separate fan-out stage can reorder or lose events.
 *
 * <p>The events of one transaction are kept until its work is done and written right before it commits, in the
 * order they were appended (docs/DECISIONS.md D-SW1): one multi-row insert, and one insert of the deliveries that
 * selects the subscribed endpoints itself (on PostgreSQL both are one statement, the events insert being a
 * data-modifying {@code WITH}). No endpoint row is read into the server, and a transaction with three events costs
 * the same round trips as one with one. An append outside a transaction opens one of its own.
 *
 * <p>Listeners registered with {@link #afterCommit} run once the transaction that queued deliveries has
 * committed (the dispatcher of this node wakes up instead of waiting for its next poll, D-AW3).
 */
public final class JdbiOutbox implements Outbox {
    /** A stored filter is comma-separated types, empty for every type; a type matches as a whole item. */
    private static final String SUBSCRIBES =
            "(e.event_types = '' or position(',' || ev.type || ',' in ',' || e.event_types || ',') > 0)";
    private static final String DELIVERY_COLUMNS = """
            insert into webhook_deliveries (environment_id, endpoint_id, event_seq, order_key, status, attempts,
                                            next_attempt_at, create_time)
            select ev.environment_id, e.id, ev.seq, coalesce(ev.organization_id, ''), 'PENDING', 0, ev.occurred_at,
                   ev.occurred_at
            """;

    private final JdbiTransactions tx;
    private final List<Runnable> committed = new CopyOnWriteArrayList<>();
    private volatile Boolean postgres;

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
        tx.inTransaction(() -> {
            tx.perTransaction(this, ArrayList<Event>::new, this::write).add(event);
            return null;
        });
    }

    /** Writes the events of one transaction, in append order (their seq follows it), with their deliveries. */
    private void write(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        tx.withHandle(h -> {
            int deliveries = isPostgres(h) ? writePostgres(h, events) : writePortable(h, events);
            if (deliveries > 0 && !committed.isEmpty()) {
                h.afterCommit(this::notifyCommitted);
            }
            return null;
        });
    }

    /** One statement: the events insert is a data-modifying WITH whose returned rows feed the deliveries insert. */
    private static int writePostgres(Handle h, List<Event> events) {
        String sql = "with ev as (" + eventsInsert(events.size())
                + " returning seq, environment_id, organization_id, type, occurred_at)\n"
                + DELIVERY_COLUMNS
                + "from ev join webhook_endpoints e on e.environment_id = ev.environment_id and e.enabled = true\n"
                + "where " + SUBSCRIBES + "\norder by ev.seq, e.id";
        return bindEvents(h.createUpdate(sql), events).execute();
    }

    /** Two statements (H2 has no data-modifying WITH): the events, then the deliveries of exactly those events. */
    private static int writePortable(Handle h, List<Event> events) {
        bindEvents(h.createUpdate(eventsInsert(events.size())), events).execute();
        StringBuilder sql = new StringBuilder(DELIVERY_COLUMNS)
                .append("from events ev join webhook_endpoints e on e.environment_id = ev.environment_id and e.enabled = true\n")
                .append("where ev.id in (");
        for (int i = 0; i < events.size(); i++) {
            sql.append(i == 0 ? ":id" : ", :id").append(i);
        }
        sql.append(") and ").append(SUBSCRIBES).append("\norder by ev.seq, e.id");
        Update deliveries = h.createUpdate(sql.toString());
        for (int i = 0; i < events.size(); i++) {
            deliveries.bind("id" + i, events.get(i).id());
        }
        return deliveries.execute();
    }

    private static String eventsInsert(int rows) {
        StringBuilder sql = new StringBuilder(
                "insert into events (id, environment_id, organization_id, object, type, occurred_at, data) values ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ", ").append("(:id").append(i).append(", :env").append(i).append(", :org").append(i)
                    .append(", :object").append(i).append(", :type").append(i).append(", :occurred").append(i)
                    .append(", :data").append(i).append(')');
        }
        return sql.toString();
    }

    private static Update bindEvents(Update update, List<Event> events) {
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            update.bind("id" + i, event.id())
                    .bind("env" + i, event.environmentId())
                    .bind("org" + i, event.organizationId().orElse(null))
                    .bind("object" + i, event.object())
                    .bind("type" + i, event.type())
                    .bind("occurred" + i, Timestamps.bind(event.occurredAt()))
                    .bind("data" + i, event.dataJson());
        }
        return update;
    }

    private boolean isPostgres(Handle h) {
        Boolean known = postgres;
        if (known == null) {
            try {
                known = h.getConnection().getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT)
                        .contains("postgresql");
            } catch (SQLException e) {
                known = false;
            }
            postgres = known;
        }
        return known;
    }
}
