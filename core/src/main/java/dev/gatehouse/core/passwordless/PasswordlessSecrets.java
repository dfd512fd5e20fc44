package dev.gatehouse.core.passwordless;

import dev.gatehouse.core.credential.SecretHash;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes and checks the secrets of a passwordless request. A 6-digit code has too few values for a plain
 * hash to hide it, so codes are stored as HMAC-SHA256 under a key derived from the master key and bound
 * to their request; link tokens (256 random bits) as SHA-256. Comparisons are constant-time.
 */
public final class PasswordlessSecrets {
    public static final int CODE_DIGITS = 6;
    private static final String LINK_TOKEN_SUFFIX = "_l";

    private final SecretKeySpec codeKey;
    private final SecureRandom random = new SecureRandom();

    private PasswordlessSecrets(byte[] codeKey) {
        this.codeKey = new SecretKeySpec(codeKey, "HmacSHA256");
    }

    /** Derives the code key from the master key (HMAC-SHA256 of a fixed label), so the master key itself is never used here. */
    public static PasswordlessSecrets fromMasterKey(byte[] masterKey) {
        return new PasswordlessSecrets(hmac(new SecretKeySpec(masterKey, "HmacSHA256"), "gatehouse/passwordless-code/v1"));
    }

    /** An opaque, unguessable request ID (256 random bits, base64url): it is also the same-browser proof. */
    public String newAuthRequestId() {
        return randomBase64(32);
    }

    /** A uniformly random 6-digit code, leading zeros kept. */
    public String newCode() {
        return String.format("%06d", random.nextInt(1_000_000));
    }

    public String newLinkToken() {
        return randomBase64(32) + LINK_TOKEN_SUFFIX;
    }

    public String codeHash(String authRequestId, String code) {
        return HexFormat.of().formatHex(hmac(codeKey, authRequestId + ":" + code));
    }

    public static String linkTokenHash(String linkToken) {
        return SecretHash.of(linkToken).hex();
    }

    /** Constant-time equality of two hex hashes (or IDs). */
    public static boolean same(String expected, String presented) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    private String randomBase64(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    private static byte[] hmac(SecretKeySpec key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
