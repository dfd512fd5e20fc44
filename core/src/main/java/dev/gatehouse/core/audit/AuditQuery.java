package dev.gatehouse.core.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Filters over one environment's audit records. {@code type} matches exactly, or as a prefix when
 * it ends with {@code *} ({@code management.*}). {@code actor} matches exactly; {@code email} matches
 * the actor or the {@code email} attribute, ignoring case; {@code attributes} must all be present with
 * exactly these values. Times are inclusive start, exclusive end. {@code authenticationOnly} keeps
 * authentication decisions: every type outside {@code management.*}.
 */
public record AuditQuery(
        String environmentId,
        Optional<String> organizationId,
        Optional<String> type,
        Optional<String> actor,
        Optional<String> email,
        Map<String, String> attributes,
        Set<AuditRecord.Outcome> outcomes,
        Optional<Instant> start,
        Optional<Instant> end,
        boolean authenticationOnly) {

    /** The type prefix of management-API changes (see docs/DECISIONS.md D-A3). */
    public static final String MANAGEMENT_TYPE_PREFIX = "management.";

    public AuditQuery {
        Objects.requireNonNull(environmentId);
        attributes = Map.copyOf(attributes);
        outcomes = Set.copyOf(outcomes);
    }

    /** Every record of the environment. */
    public static AuditQuery all(String environmentId) {
        return new AuditQuery(environmentId, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(), Set.of(), Optional.empty(), Optional.empty(), false);
    }

    public AuditQuery withOrganization(String organizationId) {
        return new AuditQuery(environmentId, Optional.of(organizationId), type, actor, email, attributes, outcomes,
                start, end, authenticationOnly);
    }

    public AuditQuery withType(String typeOrPrefix) {
        return new AuditQuery(environmentId, organizationId, Optional.of(typeOrPrefix), actor, email, attributes,
                outcomes, start, end, authenticationOnly);
    }

    public AuditQuery withActor(String actorId) {
        return new AuditQuery(environmentId, organizationId, type, Optional.of(actorId), email, attributes, outcomes,
                start, end, authenticationOnly);
    }

    public AuditQuery withEmail(String address) {
        return new AuditQuery(environmentId, organizationId, type, actor, Optional.of(address), attributes, outcomes,
                start, end, authenticationOnly);
    }

    public AuditQuery withAttribute(String name, String value) {
        Map<String, String> more = new TreeMap<>(attributes);
        more.put(name, value);
        return new AuditQuery(environmentId, organizationId, type, actor, email, more, outcomes, start, end,
                authenticationOnly);
    }

    public AuditQuery withOutcomes(Set<AuditRecord.Outcome> wanted) {
        return new AuditQuery(environmentId, organizationId, type, actor, email, attributes, wanted, start, end,
                authenticationOnly);
    }

    public AuditQuery between(Optional<Instant> from, Optional<Instant> until) {
        return new AuditQuery(environmentId, organizationId, type, actor, email, attributes, outcomes, from, until,
                authenticationOnly);
    }

    public AuditQuery authenticationDecisions() {
        return new AuditQuery(environmentId, organizationId, type, actor, email, attributes, outcomes, start, end, true);
    }
}
