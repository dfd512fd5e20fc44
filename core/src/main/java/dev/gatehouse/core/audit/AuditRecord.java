package dev.gatehouse.core.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One security-relevant decision or change: who did what, and how it ended. {@code reason} is for the
 * environment's admins and is never shown to the end user. Attributes must not hold secrets.
 *
 * <p>{@code reasonCode} is a short machine-readable cause ({@code invalid_client}, {@code NOT_FOUND});
 * {@code target} the ID of the resource acted on; {@code before} and {@code after} the resource's JSON
 * before and after a change, secrets already redacted by the producer.
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
        Map<String, String> attributes,
        Optional<String> reasonCode,
        Optional<String> target,
        Optional<String> before,
        Optional<String> after) {

    public enum Outcome { SUCCESS, FAILURE }

    public AuditRecord {
        Objects.requireNonNull(time);
        Objects.requireNonNull(type);
        Objects.requireNonNull(outcome);
        attributes = Map.copyOf(attributes);
    }

    /** A decision without a reason code, target or change (the original shape). */
    public AuditRecord(Instant time, Optional<String> environmentId, Optional<String> organizationId, String type,
                       Outcome outcome, Optional<String> actor, Optional<String> reason,
                       Optional<String> remoteAddress, Map<String, String> attributes) {
        this(time, environmentId, organizationId, type, outcome, actor, reason, remoteAddress, attributes,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public AuditRecord withReasonCode(String code) {
        return new AuditRecord(time, environmentId, organizationId, type, outcome, actor, reason, remoteAddress,
                attributes, Optional.ofNullable(code), target, before, after);
    }

    public AuditRecord withTarget(String targetId) {
        return new AuditRecord(time, environmentId, organizationId, type, outcome, actor, reason, remoteAddress,
                attributes, reasonCode, Optional.ofNullable(targetId), before, after);
    }

    /** The resource's JSON before and after the change (empty before a create, after a delete). */
    public AuditRecord withChange(Optional<String> beforeJson, Optional<String> afterJson) {
        return new AuditRecord(time, environmentId, organizationId, type, outcome, actor, reason, remoteAddress,
                attributes, reasonCode, target, beforeJson, afterJson);
    }
}
