package dev.gatehouse.crypto.openssl;

/**
 * An RSA public key held by OpenSSL, for verifying signatures. Several threads may verify with it at once. Freed by
 * {@link #close()} or, failing that, once this object is unreachable (a {@link java.lang.ref.Cleaner}).
 */
public interface OpenSslRsaPublicKey extends AutoCloseable {
    int modulusBits();

    /**
     * Whether {@code signature} is this key's RSASSA-PKCS1-v1_5 signature with SHA-256 over {@code data}. A
     * signature that does not verify is {@code false} (and leaves nothing on this thread's OpenSSL error queue).
     *
     * @throws OpenSslException when OpenSSL cannot run the check at all, or the key was released
     */
    boolean verifySha256(byte[] data, byte[] signature) throws OpenSslException;

    /** Frees the native key now; later verifications fail. Idempotent. */
    @Override
    void close();
}
