package dev.gatehouse.core.credential;

/** The outcome of checking a client_id and secret. */
public sealed interface ClientAuthentication {
    record Authenticated(EnvironmentClient client) implements ClientAuthentication {}

    /** Why the client was refused: for the audit trail, never for the caller. */
    record Rejected(String reason, java.util.Optional<String> environmentId) implements ClientAuthentication {
        public Rejected(String reason) {
            this(reason, java.util.Optional.empty());
        }
    }
}
