package dev.gatehouse.core.audit;

import java.util.Optional;

/**
 * An audit record as stored: its public ID ({@code aud_…}), its place in its environment's chain,
 * and the hashes that link it to the record before it. {@code hash} is empty only for records written
 * before the chain existed (migration V0008), which cannot be verified.
 */
public record StoredAuditRecord(String id, long sequence, Optional<String> previousHash, Optional<String> hash,
                                AuditRecord record) {
}
