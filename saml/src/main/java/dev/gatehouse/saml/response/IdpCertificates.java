package dev.gatehouse.saml.response;

import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The IdP signing certificates of one connection (several during a rollover), with their public keys and
 * encodings computed once. Build it when the connection's configuration is loaded and reuse it for every
 * response. Certificate validity dates are not enforced: the certificate is only a container for a key the
 * admin chose to trust (docs/DECISIONS.md D-SAML4).
 */
public final class IdpCertificates {
    private final List<X509Certificate> certificates;
    private final List<PublicKey> keys;
    private final List<byte[]> encodings;

    private IdpCertificates(List<X509Certificate> certificates) {
        this.certificates = List.copyOf(certificates);
        this.keys = this.certificates.stream().map(X509Certificate::getPublicKey).toList();
        List<byte[]> encoded = new ArrayList<>();
        for (X509Certificate certificate : this.certificates) {
            try {
                encoded.add(certificate.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalArgumentException("unreadable IdP certificate", e);
            }
        }
        this.encodings = List.copyOf(encoded);
    }

    public static IdpCertificates of(List<X509Certificate> certificates) {
        return new IdpCertificates(certificates);
    }

    public List<X509Certificate> certificates() {
        return certificates;
    }

    public boolean isEmpty() {
        return certificates.isEmpty();
    }

    /**
     * The keys to try, in order: the one whose certificate the signature's KeyInfo names first (a hint only:
     * only configured keys are ever used), then the others.
     */
    List<PublicKey> keysPreferring(Optional<byte[]> keyInfoCertificate) {
        if (keyInfoCertificate.isEmpty() || keys.size() < 2) {
            return keys;
        }
        for (int i = 0; i < encodings.size(); i++) {
            if (Arrays.equals(encodings.get(i), keyInfoCertificate.get())) {
                List<PublicKey> ordered = new ArrayList<>(keys.size());
                ordered.add(keys.get(i));
                for (int j = 0; j < keys.size(); j++) {
                    if (j != i) {
                        ordered.add(keys.get(j));
                    }
                }
                return ordered;
            }
        }
        return keys;
    }
}
