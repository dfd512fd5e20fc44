package dev.gatehouse.core.connection;

import java.time.Instant;
import java.util.Objects;

/**
 * One X.509 certificate the IdP signs with, as stored on a SAML connection: the PEM text, when Gatehouse
 * learnt it, its validity ({@code expiryTime} is shown in the API, R-SSO-65), issuer and subject DNs, and the
 * SHA-256 fingerprint of its DER form (hex), which identifies it across metadata refreshes.
 */
public record IdpCertificate(
        String id,
        String pem,
        Instant createTime,
        Instant notBefore,
        Instant expiryTime,
        String issuer,
        String subject,
        String sha256Fingerprint) {

    public IdpCertificate {
        Objects.requireNonNull(id);
        Objects.requireNonNull(pem);
        Objects.requireNonNull(sha256Fingerprint);
    }

    public boolean isValidAt(Instant now) {
        return !now.isBefore(notBefore) && now.isBefore(expiryTime);
    }
}
