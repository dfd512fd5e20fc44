package dev.gatehouse.core.login;

import java.util.Optional;

/**
 * A client that obtained tokens in a session (the Sessions API's {@code authenticated_clients}): the app client
 * ({@code skc_…}) and the organization the grant was issued for, if any.
 */
public record SessionClient(String sessionId, String clientId, Optional<String> organizationId) {}
