package dev.gatehouse.core.audit;

import java.util.Optional;

/**
 * The result of walking one audit chain. {@code records} counts every record walked,
 * {@code unhashedRecords} those written before hashing existed (the start of the chain, unverifiable).
 */
public record ChainReport(Optional<String> environmentId, long records, long unhashedRecords, ChainHead head,
                          Optional<Break> firstBreak) {

    public boolean intact() {
        return firstBreak.isEmpty();
    }

    /** Where the chain stops being provable, and how. */
    public record Break(long sequence, Optional<String> recordId, Kind kind, String detail) {}

    public enum Kind {
        /** A record's stored hash does not match its contents: the row was edited. */
        EDITED,
        /** A sequence number is missing: the row was deleted (or its sequence changed). */
        MISSING,
        /** A record does not point at the hash of the record before it: a row was replaced or re-hashed. */
        RELINKED,
        /** A record after the first hashed one has no hash. */
        UNHASHED,
        /** The chain head does not match the last record: rows at the end were deleted or added outside the chain. */
        HEAD_MISMATCH
    }
}
