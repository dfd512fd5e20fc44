package dev.gatehouse.store;

import dev.gatehouse.core.shared.Transactions;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Implements the core's transaction port. Repositories run their statements through
 * {@link #withHandle}, which joins the transaction open on this thread, if any.
 */
public final class JdbiTransactions implements Transactions {
    private final Jdbi jdbi;
    private final ThreadLocal<Open> current = new ThreadLocal<>();
    private final ThreadLocal<List<Runnable>> afterTransaction = new ThreadLocal<>();
    private volatile Boolean postgres;

    /** The transaction open on a thread, with the work deferred to just before its commit. */
    private static final class Open {
        final Handle handle;
        final Map<Object, Object> pending = new IdentityHashMap<>();
        final List<Runnable> beforeCommit = new ArrayList<>();

        Open(Handle handle) {
            this.handle = handle;
        }
    }

    public JdbiTransactions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Whether the database is PostgreSQL (else H2), asked of the driver once. */
    boolean onPostgres() {
        Boolean known = postgres;
        if (known == null) {
            try {
                known = jdbi.withHandle(h -> h.getConnection().getMetaData().getDatabaseProductName())
                        .toLowerCase(java.util.Locale.ROOT).contains("postgresql");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot tell which database this is", e);
            }
            postgres = known;
        }
        return known;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (current.get() != null) {
            return work.get();
        }
        try {
            return jdbi.inTransaction(handle -> {
                Open open = new Open(handle);
                current.set(open);
                try {
                    T result = work.get();
                    // Still inside the transaction: what runs here commits or rolls back with the work.
                    for (int i = 0; i < open.beforeCommit.size(); i++) {
                        open.beforeCommit.get(i).run();
                    }
                    return result;
                } finally {
                    current.remove();
                }
            });
        } finally {
            List<Runnable> actions = afterTransaction.get();
            if (actions != null) {
                afterTransaction.remove();
                actions.forEach(Runnable::run);
            }
        }
    }

    /**
     * Runs {@code action} once the transaction open on this thread has ended (committed or rolled back), or now when
     * none is open: how an in-memory cache drops an entry only after other threads can read the new row (D-AC4).
     */
    void afterTransaction(Runnable action) {
        if (current.get() == null) {
            action.run();
            return;
        }
        List<Runnable> actions = afterTransaction.get();
        if (actions == null) {
            actions = new ArrayList<>();
            afterTransaction.set(actions);
        }
        actions.add(action);
    }

    /** Whether this thread is inside {@link #inTransaction} (so a write would join that transaction). */
    boolean inTransaction() {
        return current.get() != null;
    }

    /**
     * The value kept under {@code key} for the transaction open on this thread: created by {@code create} on first
     * use, when {@code beforeCommit} is registered to run with it once the transaction's work has returned, in the
     * transaction, right before the commit (a failure there rolls everything back). Nothing runs on a rollback.
     * Must be called inside {@link #inTransaction}.
     */
    <T> T perTransaction(Object key, Supplier<T> create, Consumer<T> beforeCommit) {
        Open open = current.get();
        if (open == null) {
            throw new IllegalStateException("not inside a transaction");
        }
        @SuppressWarnings("unchecked")
        T value = (T) open.pending.get(key);
        if (value == null) {
            T created = create.get();
            open.pending.put(key, created);
            open.beforeCommit.add(() -> beforeCommit.accept(created));
            value = created;
        }
        return value;
    }

    <T> T withHandle(HandleCallback<T, RuntimeException> callback) {
        Open open = current.get();
        if (open != null) {
            return callback.withHandle(open.handle);
        }
        return jdbi.withHandle(callback);
    }
}
