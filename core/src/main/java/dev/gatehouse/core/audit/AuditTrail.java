package dev.gatehouse.core.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Append-only record of authentication decisions and management changes. */
public interface AuditTrail {
    void append(AuditRecord record);

    /** The newest records of an environment first, optionally narrowed by type, newest {@code limit}. */
    List<AuditRecord> recent(String environmentId, Optional<String> type, Instant since, int limit);
}
