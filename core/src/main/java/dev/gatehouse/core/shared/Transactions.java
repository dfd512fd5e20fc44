package dev.gatehouse.core.shared;

import java.util.function.Supplier;

/** Runs a unit of work in one database transaction: every repository call inside it commits or rolls back together. */
public interface Transactions {
    <T> T inTransaction(Supplier<T> work);
}
