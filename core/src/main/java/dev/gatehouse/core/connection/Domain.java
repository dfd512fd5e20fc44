package dev.gatehouse.core.connection;

import java.time.Instant;
import java.util.Optional;

/**
 * An email domain owned by one organization, unique in its environment ignoring case (stored lower-case, IDNs in
 * their ASCII form). {@code connectionId} pins it to one of the organization's connections; without it a login of
 * this domain goes to the organization's first active connection.
 */
public record Domain(
        String id,
        String environmentId,
        String organizationId,
        Optional<String> connectionId,
        String name,
        DomainType type,
        VerificationStatus verificationStatus,
        Optional<Instant> verifiedAt,
        Instant createTime,
        Instant updateTime) {

    public Domain withConnection(Optional<String> value, Instant now) {
        return new Domain(id, environmentId, organizationId, value, name, type, verificationStatus, verifiedAt, createTime, now);
    }

    public Domain verified(Instant now) {
        return new Domain(id, environmentId, organizationId, connectionId, name, type, VerificationStatus.VERIFIED,
                Optional.of(now), createTime, now);
    }
}
