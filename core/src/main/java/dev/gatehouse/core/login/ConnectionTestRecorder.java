package dev.gatehouse.core.login;

import java.util.Optional;

/**
 * Where {@link LoginService} records connection tests (D-AP4, D-CT1) as they start and end, so that
 * {@code GetConnectionTestResult} can report them ({@code dev.gatehouse.core.connection.ConnectionTests}).
 */
public interface ConnectionTestRecorder {
    /** A new pending test run by {@code loginId}; returns its {@code test_…} ID. */
    String started(String environmentId, Optional<String> organizationId, String connectionId, String loginId);

    void succeeded(String environmentId, String loginId, FederatedIdentity identity);

    void failed(String environmentId, String loginId, String error, String description, String details);
}
