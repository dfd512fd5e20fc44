package dev.gatehouse.core.audit;

import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import java.util.List;
import java.util.Optional;

/**
 * The read side of the audit trail: filtered pages for the APIs, and the raw chains for verification.
 * A chain is identified by its environment ID; records without an environment (e.g. a token request
 * naming an unknown client) form one more chain, identified by {@code Optional.empty()}.
 */
public interface AuditLog {
    /** Records of the query's environment matching its filters, newest first (keyset by sequence). */
    Page<StoredAuditRecord> find(AuditQuery query, PageRequest page);

    /** Every chain that has a head. */
    List<Optional<String>> chains();

    Optional<ChainHead> head(Optional<String> environmentId);

    /** Up to {@code limit} records of one chain with a sequence above {@code afterSequence}, in sequence order. */
    List<StoredAuditRecord> chain(Optional<String> environmentId, long afterSequence, int limit);
}
