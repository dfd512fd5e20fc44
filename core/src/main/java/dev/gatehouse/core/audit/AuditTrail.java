package dev.gatehouse.core.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Append-only record of authentication decisions and management changes. */
public interface AuditTrail {
    /** Appends the record; returns once it is stored (committed with the caller's transaction, if one is open). */
    void append(AuditRecord record);

    /**
     * Appends the record without making the caller wait: the future completes once it is stored, or fails as
     * {@link #append} would have thrown. For callers on an event loop, which answer when the future completes
     * (D-TP11). This default stores it at once, on the caller's thread.
     */
    default CompletableFuture<Void> appendLater(AuditRecord record) {
        try {
            append(record);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The newest records of an environment first, optionally narrowed by type, newest {@code limit}. */
    List<AuditRecord> recent(String environmentId, Optional<String> type, Instant since, int limit);

    /**
     * This trail without the records of successful decisions (configuration
     * {@code GATEHOUSE_AUDIT_SUCCESS=false}): refusals are always kept.
     */
    static AuditTrail failuresOnly(AuditTrail trail) {
        return new AuditTrail() {
            @Override
            public void append(AuditRecord record) {
                if (record.outcome() == AuditRecord.Outcome.FAILURE) {
                    trail.append(record);
                }
            }

            @Override
            public CompletableFuture<Void> appendLater(AuditRecord record) {
                return record.outcome() == AuditRecord.Outcome.FAILURE
                        ? trail.appendLater(record) : CompletableFuture.completedFuture(null);
            }

            @Override
            public List<AuditRecord> recent(String environmentId, Optional<String> type, Instant since, int limit) {
                return trail.recent(environmentId, type, since, limit);
            }
        };
    }
}
