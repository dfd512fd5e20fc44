package dev.gatehouse.core.connection;

import java.util.Objects;

/**
 * A secret sealed with {@link dev.gatehouse.core.key.SecretSealer} (base64 of version, nonce, ciphertext and tag).
 * Only {@link ConnectionService} opens it; {@link #toString()} never shows it.
 */
public record SealedValue(String base64) {
    public SealedValue {
        Objects.requireNonNull(base64);
    }

    @Override
    public String toString() {
        return "SealedValue[redacted]";
    }
}
