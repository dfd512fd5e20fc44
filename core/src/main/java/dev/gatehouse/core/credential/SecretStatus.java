package dev.gatehouse.core.credential;

/** Whether a client secret authenticates: only ACTIVE ones do ({@code scalekit.v1.clients.ClientSecretStatus}). */
public enum SecretStatus {
    ACTIVE,
    INACTIVE
}
