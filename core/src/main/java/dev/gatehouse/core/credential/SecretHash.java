package dev.gatehouse.core.credential;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a high-entropy secret. The secrets Gatehouse issues carry 256 random bits, so a
 * fast hash is enough (a slow password hash would protect nothing more and would cap the token
 * endpoint's throughput); see docs/DECISIONS.md.
 */
public record SecretHash(String hex) {
    /** One digest per thread: looking the algorithm up costs more than hashing a secret ({@code digest} resets it). */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    });

    public static SecretHash of(String secret) {
        byte[] digest = SHA_256.get().digest(secret.getBytes(StandardCharsets.UTF_8));
        return new SecretHash(HexFormat.of().formatHex(digest));
    }

    /** Constant-time comparison of the presented secret against this hash. */
    public boolean matches(String presentedSecret) {
        return sameAs(of(presentedSecret));
    }

    /** Constant-time comparison with another hash (a presented secret hashed once, checked against several). */
    public boolean sameAs(SecretHash other) {
        return MessageDigest.isEqual(other.hex.getBytes(StandardCharsets.US_ASCII), hex.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "SecretHash[redacted]";
    }
}
