package dev.gatehouse.core.connection;

import java.util.Optional;

/**
 * SEAM for the SAML module: makes a fresh RSA key pair and self-signed certificate for a connection's SP side
 * (request signing and assertion encryption). The JDK has no public API to issue certificates, so key and
 * certificate generation live in {@code dev.gatehouse.saml.sp}; until it is wired, {@link #NONE} makes nothing
 * and SAML connections have no SP certificate (docs/DECISIONS.md D-CN5).
 */
@FunctionalInterface
public interface SpCredentialGenerator {
    SpCredentialGenerator NONE = connectionId -> Optional.empty();

    /** A new key pair for the connection, or empty when this generator makes none. */
    Optional<Generated> generate(String connectionId);

    /** A new certificate (PEM), its expiry, and the private key in PKCS#8 DER (sealed before it is stored). */
    record Generated(String certificatePem, java.time.Instant expiryTime, byte[] privateKeyPkcs8) {
        @Override
        public String toString() {
            return "Generated[expiryTime=" + expiryTime + ", privateKey=redacted]";
        }
    }
}
