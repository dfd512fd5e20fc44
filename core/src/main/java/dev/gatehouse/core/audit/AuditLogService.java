package dev.gatehouse.core.audit;

import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reading the audit log: filtered pages for the APIs, and verification of the hash chains
 * ({@code ./gatehouse audit verify}).
 */
public final class AuditLogService {
    static final int VERIFY_BATCH = 500;

    private final AuditLog log;
    private final AuditChain chain;

    public AuditLogService(AuditLog log, AuditChain chain) {
        this.log = log;
        this.chain = chain;
    }

    public Page<StoredAuditRecord> find(AuditQuery query, PageRequest page) {
        if (query.start().isPresent() && query.end().isPresent() && !query.end().get().isAfter(query.start().get())) {
            throw DomainException.InvalidArgument.of("end_time", "end_time must be after start_time", "timestamp.gt");
        }
        query.type().ifPresent(type -> {
            if (type.isBlank() || type.length() > AuditChain.TYPE_MAX + 1) {
                throw DomainException.InvalidArgument.of("type", "type must be 1 to 100 characters", "string.len");
            }
        });
        return log.find(query, page);
    }

    /** Verifies every chain: each environment's, and the one of records without an environment. */
    public List<ChainReport> verifyAll() {
        List<ChainReport> reports = new ArrayList<>();
        for (Optional<String> chain : log.chains()) {
            reports.add(verify(chain));
        }
        return reports;
    }

    /**
     * Walks one chain from its first record and reports the first place where it is broken. Rows
     * appended while the walk runs are verified too; a row deleted, edited, re-linked or added outside
     * the chain is reported with its sequence number.
     */
    public ChainReport verify(Optional<String> environmentId) {
        Walk walk = new Walk(environmentId);
        walk.readUpTo(Long.MAX_VALUE);
        if (walk.broken.isPresent()) {
            return walk.report(log.head(environmentId).orElse(new ChainHead(0, Optional.empty())));
        }
        // The head is read after the rows: an append commits its row and the head together, so a head
        // behind the last row read means a row was added outside the chain, and a head ahead of it means
        // rows were appended meanwhile (read them) or the last rows were deleted.
        ChainHead head = log.head(environmentId).orElse(new ChainHead(0, Optional.empty()));
        if (head.sequence() > walk.lastSequence) {
            walk.readUpTo(head.sequence());
        }
        if (walk.broken.isEmpty()) {
            if (head.sequence() < walk.lastSequence) {
                walk.fail(head.sequence() + 1, Optional.empty(), ChainReport.Kind.HEAD_MISMATCH,
                        "records after the chain head (sequence " + head.sequence() + ") were added outside the chain");
            } else if (head.sequence() > walk.lastSequence) {
                walk.fail(walk.lastSequence + 1, Optional.empty(), ChainReport.Kind.MISSING,
                        "records " + (walk.lastSequence + 1) + " to " + head.sequence() + " at the end of the chain are missing");
            } else if (!head.hash().equals(walk.lastHash)) {
                walk.fail(head.sequence(), Optional.empty(), ChainReport.Kind.HEAD_MISMATCH,
                        "the chain head's hash does not match the last record's");
            }
        }
        return walk.report(head);
    }

    /** The state of one walk along a chain, record by record. */
    private final class Walk {
        private final Optional<String> environmentId;
        private long lastSequence;
        private Optional<String> lastHash = Optional.empty();
        private long records;
        private long unhashed;
        private Optional<ChainReport.Break> broken = Optional.empty();

        Walk(Optional<String> environmentId) {
            this.environmentId = environmentId;
        }

        void readUpTo(long maxSequence) {
            while (broken.isEmpty() && lastSequence < maxSequence) {
                List<StoredAuditRecord> batch = log.chain(environmentId, lastSequence, VERIFY_BATCH);
                for (StoredAuditRecord row : batch) {
                    if (row.sequence() > maxSequence || broken.isPresent()) {
                        return;
                    }
                    check(row);
                }
                if (batch.size() < VERIFY_BATCH) {
                    return;
                }
            }
        }

        private void check(StoredAuditRecord row) {
            long expected = lastSequence + 1;
            if (row.sequence() != expected) {
                fail(expected, Optional.empty(), ChainReport.Kind.MISSING, row.sequence() == expected + 1
                        ? "record " + expected + " is missing"
                        : "records " + expected + " to " + (row.sequence() - 1) + " are missing");
                return;
            }
            records++;
            if (row.hash().isEmpty()) {
                if (lastHash.isPresent()) {
                    fail(row.sequence(), Optional.of(row.id()), ChainReport.Kind.UNHASHED,
                            "record has no hash although records before it have one");
                    return;
                }
                unhashed++;
                lastSequence = row.sequence();
                return;
            }
            String previous = lastHash.orElse(AuditChain.GENESIS);
            if (!row.previousHash().orElse("").equals(previous)) {
                fail(row.sequence(), Optional.of(row.id()), ChainReport.Kind.RELINKED,
                        "record does not link to the hash of the record before it");
                return;
            }
            String computed = chain.hash(row.id(), row.sequence(), previous, AuditChain.normalize(row.record()));
            if (!computed.equals(row.hash().get())) {
                fail(row.sequence(), Optional.of(row.id()), ChainReport.Kind.EDITED,
                        "record's contents do not match its hash (edited)");
                return;
            }
            lastSequence = row.sequence();
            lastHash = row.hash();
        }

        void fail(long sequence, Optional<String> recordId, ChainReport.Kind kind, String detail) {
            broken = Optional.of(new ChainReport.Break(sequence, recordId, kind, detail));
        }

        ChainReport report(ChainHead head) {
            return new ChainReport(environmentId, records, unhashed, head, broken);
        }
    }
}
