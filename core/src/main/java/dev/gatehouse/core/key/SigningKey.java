package dev.gatehouse.core.key;

import java.time.Instant;
import java.util.Optional;

/**
 * One of an environment's token-signing keys. The private key is stored sealed under the master
 * key; {@code retireTime} is when it stopped signing (it stays published for the tokens it signed).
 */
public record SigningKey(
        String kid,
        String environmentId,
        String algorithm,
        byte[] publicKeyDer,
        byte[] sealedPrivateKey,
        KeyState state,
        Instant createTime,
        Optional<Instant> retireTime) {

    public enum KeyState { ACTIVE, RETIRED }

    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + ", environment=" + environmentId + ", state=" + state + "]";
    }
}
