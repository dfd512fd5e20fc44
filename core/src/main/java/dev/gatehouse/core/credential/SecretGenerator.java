package dev.gatehouse.core.credential;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes plain secrets: a greppable prefix plus 256 random bits in base64url. Each thread has its own generator:
 * one shared {@link SecureRandom} serializes every sign-in and token request on its lock.
 */
public final class SecretGenerator {
    private final ThreadLocal<SecureRandom> random = ThreadLocal.withInitial(SecureRandom::new);

    public String next(String prefix) {
        byte[] bytes = new byte[32];
        random.get().nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
