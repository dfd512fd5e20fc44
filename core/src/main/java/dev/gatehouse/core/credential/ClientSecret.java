package dev.gatehouse.core.credential;

import java.time.Instant;

/**
 * A stored client secret: only its hash and the last four characters (for display) are kept.
 * The plain secret exists once, in the answer to whoever created it. Only ACTIVE secrets authenticate.
 */
public record ClientSecret(String id, String clientId, SecretHash hash, String suffix, Instant createTime,
                           SecretStatus status, Instant updateTime) {
    /** A new, active secret. */
    public ClientSecret(String id, String clientId, SecretHash hash, String suffix, Instant createTime) {
        this(id, clientId, hash, suffix, createTime, SecretStatus.ACTIVE, createTime);
    }

    public boolean active() {
        return status == SecretStatus.ACTIVE;
    }
}
