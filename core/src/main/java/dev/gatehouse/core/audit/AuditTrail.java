package dev.gatehouse.core.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Append-only record of authentication decisions and management changes. */
public interface AuditTrail {
    void append(AuditRecord record);

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
            public List<AuditRecord> recent(String environmentId, Optional<String> type, Instant since, int limit) {
                return trail.recent(environmentId, type, since, limit);
            }
        };
    }
}
