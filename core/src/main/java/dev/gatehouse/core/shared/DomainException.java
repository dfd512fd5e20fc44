package dev.gatehouse.core.shared;

import java.util.List;

/**
 * The failures a use case reports. Each surface maps them onto its own error shape
 * (rpcStatus for the management API, OAuth error JSON, SCIM errors).
 */
public abstract sealed class DomainException extends RuntimeException {
    protected DomainException(String message) {
        super(message, null, false, false);
    }

    /** The addressed resource does not exist in the caller's environment. */
    public static final class NotFound extends DomainException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** The change conflicts with a uniqueness rule (e.g. a duplicate external_id). */
    public static final class AlreadyExists extends DomainException {
        private final String field;

        public AlreadyExists(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** The input breaks one or more validation rules. */
    public static final class InvalidArgument extends DomainException {
        private final List<FieldViolation> violations;

        public InvalidArgument(String message, List<FieldViolation> violations) {
            super(message);
            this.violations = List.copyOf(violations);
        }

        public static InvalidArgument of(String field, String description, String constraint) {
            return new InvalidArgument(description, List.of(new FieldViolation(field, description, constraint)));
        }

        public List<FieldViolation> violations() {
            return violations;
        }
    }

    /** The operation is valid but not allowed in the resource's current state. */
    public static final class FailedPrecondition extends DomainException {
        public FailedPrecondition(String message) {
            super(message);
        }
    }
}
