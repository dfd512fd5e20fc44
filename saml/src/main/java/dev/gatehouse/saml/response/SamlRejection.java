package dev.gatehouse.saml.response;

import dev.gatehouse.core.audit.AuditRecord;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a response was refused. {@code code} goes to the app ({@code error=}); {@code step} and {@code detail}
 * are for the environment's admins (audit record) and must never be shown to the end user. {@code detail}
 * names the failing check and the expected value, never assertion contents such as the NameID.
 */
public record SamlRejection(SamlErrorCode code, ValidationStep step, String detail) implements SamlValidation {
    /** The audit record type of a refused SAML response. */
    public static final String AUDIT_TYPE = "sso.saml.response.rejected";

    public SamlRejection {
        Objects.requireNonNull(code);
        Objects.requireNonNull(step);
        Objects.requireNonNull(detail);
    }

    /** The audit record of this refusal, with {@code error}, {@code step} and {@code connection_id} attributes. */
    public AuditRecord auditRecord(Instant time, String environmentId, Optional<String> organizationId,
                                   String connectionId, Optional<String> remoteAddress) {
        return new AuditRecord(time, Optional.of(environmentId), organizationId, AUDIT_TYPE, AuditRecord.Outcome.FAILURE,
                Optional.empty(), Optional.of(detail), remoteAddress,
                Map.of("error", code.wire(), "step", step.wire(), "connection_id", connectionId));
    }
}
