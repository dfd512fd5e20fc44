package dev.gatehouse.store;

import dev.gatehouse.core.shared.Transactions;
import java.util.ArrayList;
import java.util.List;
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
    private final ThreadLocal<Handle> current = new ThreadLocal<>();
    private final ThreadLocal<List<Runnable>> afterTransaction = new ThreadLocal<>();

    public JdbiTransactions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (current.get() != null) {
            return work.get();
        }
        try {
            return jdbi.inTransaction(handle -> {
                current.set(handle);
                try {
                    return work.get();
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

    <T> T withHandle(HandleCallback<T, RuntimeException> callback) {
        Handle handle = current.get();
        if (handle != null) {
            return callback.withHandle(handle);
        }
        return jdbi.withHandle(callback);
    }
}
