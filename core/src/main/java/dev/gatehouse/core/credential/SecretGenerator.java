package dev.gatehouse.core.credential;

import java.security.SecureRandom;
import java.util.Base64;

/** Makes plain secrets: a greppable prefix plus 256 random bits in base64url. */
public final class SecretGenerator {
    private final SecureRandom random = new SecureRandom();

    public String next(String prefix) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
