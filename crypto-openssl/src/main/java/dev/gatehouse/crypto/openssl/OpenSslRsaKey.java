package dev.gatehouse.crypto.openssl;

/**
 * An RSA private key held by OpenSSL. Several threads may sign with it at once. The native key is freed
 * by {@link #close()} or, failing that, once this object is unreachable (a {@link java.lang.ref.Cleaner}),
 * so a key that leaves a key ring is released after its last in-flight signature.
 */
public interface OpenSslRsaKey extends AutoCloseable {
    int modulusBits();

    /**
     * RSASSA-PKCS1-v1_5 with SHA-256 (JWS {@code RS256}) over {@code data}, with OpenSSL's RSA blinding.
     *
     * @throws OpenSslException with OpenSSL's reason when it fails, or when the key was released
     */
    byte[] signSha256(byte[] data) throws OpenSslException;

    /**
     * Frees the native key now; later signatures fail. Idempotent. Not while another thread is signing
     * with this key (that throws {@link IllegalStateException} and leaves the key usable).
     */
    @Override
    void close();
}
