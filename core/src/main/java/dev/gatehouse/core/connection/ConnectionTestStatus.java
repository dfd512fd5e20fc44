package dev.gatehouse.core.connection;

/** Where a connection test stands ({@code scalekit.v1.connections.TestResultStatus}). */
public enum ConnectionTestStatus {
    PENDING, SUCCESS, FAILURE
}
