package dev.gatehouse.core.client;

import java.util.Optional;

/** The outcome of checking an {@code m2morg_…} client ID and secret. */
public sealed interface OrganizationClientAuthentication {
    record Authenticated(OrganizationClient client) implements OrganizationClientAuthentication {}

    /** Why the client was refused: for the audit trail, never for the caller. */
    record Rejected(String reason, Optional<String> environmentId) implements OrganizationClientAuthentication {}
}
