package dev.gatehouse.core.connection;

/**
 * How far a connection's configuration has got, kept apart from {@code enabled} (spec-sso.md R-SSO-97):
 * DRAFT (nothing about the IdP yet), IN_PROGRESS (some of it), COMPLETED (everything a login needs).
 */
public enum ConnectionStatus {
    DRAFT,
    IN_PROGRESS,
    COMPLETED
}
