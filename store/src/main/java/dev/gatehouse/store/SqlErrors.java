package dev.gatehouse.store;

import java.sql.SQLException;

/** Recognises database errors that the domain reports as its own failures. */
final class SqlErrors {
    private static final String UNIQUE_VIOLATION = "23505";

    private SqlErrors() {}

    /** True when {@code failure} was caused by a unique constraint whose name contains {@code constraintName}. */
    static boolean isUniqueViolation(Throwable failure, String constraintName) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                String message = String.valueOf(sql.getMessage()).toLowerCase(java.util.Locale.ROOT);
                return message.contains(constraintName.toLowerCase(java.util.Locale.ROOT));
            }
        }
        return false;
    }
}
