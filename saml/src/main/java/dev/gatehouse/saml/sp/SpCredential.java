package dev.gatehouse.saml.sp;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * The SP's key pair for one connection: the private key (signs AuthnRequests, decrypts assertions) and its
 * self-signed certificate (published in the SP metadata). Store {@link #privateKeyPkcs8()} sealed
 * (SecretSealer) and {@link #certificateDer()} as is; {@link #fromEncoded} reads them back.
 */
public record SpCredential(PrivateKey privateKey, X509Certificate certificate) {
    public SpCredential {
        Objects.requireNonNull(privateKey);
        Objects.requireNonNull(certificate);
    }

    /** Reads a PKCS#8 RSA private key and a DER certificate. */
    public static SpCredential fromEncoded(byte[] privateKeyPkcs8, byte[] certificateDer) {
        try {
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(privateKeyPkcs8));
            return new SpCredential(key, parseCertificate(certificateDer));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PKCS#8 RSA private key", e);
        }
    }

    /** Parses a DER X.509 certificate. */
    public static X509Certificate parseCertificate(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not an X.509 certificate", e);
        }
    }

    public byte[] privateKeyPkcs8() {
        return privateKey.getEncoded();
    }

    public byte[] certificateDer() {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The certificate as base64 without line breaks, as ds:X509Certificate carries it. */
    public String certificateBase64() {
        return Base64.getEncoder().encodeToString(certificateDer());
    }

    /** The certificate in PEM, for the admin to download and upload to the IdP. */
    public String certificatePem() {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificateDer())
                + "\n-----END CERTIFICATE-----\n";
    }
}
