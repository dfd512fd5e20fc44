package dev.gatehouse.core.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One security-relevant decision: who did what, and how it ended. {@code reason} is for the
 * environment's admins and is never shown to the end user. Attributes must not hold secrets.
 */
public record AuditRecord(
        Instant time,
        Optional<String> environmentId,
        Optional<String> organizationId,
        String type,
        Outcome outcome,
        Optional<String> actor,
        Optional<String> reason,
        Optional<String> remoteAddress,
        Map<String, String> attributes) {

    public enum Outcome { SUCCESS, FAILURE }

    public AuditRecord {
        attributes = Map.copyOf(attributes);
    }
}
