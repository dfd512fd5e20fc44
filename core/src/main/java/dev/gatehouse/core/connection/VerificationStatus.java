package dev.gatehouse.core.connection;

/** Whether the organization has shown it controls a domain. Routing does not depend on it (D-CN6). */
public enum VerificationStatus {
    PENDING,
    VERIFIED,
    FAILED
}
