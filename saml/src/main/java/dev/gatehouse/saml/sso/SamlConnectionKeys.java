package dev.gatehouse.saml.sso;

import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.connection.ConnectionService;
import dev.gatehouse.core.connection.IdpCertificate;
import dev.gatehouse.core.connection.SamlSettings;
import dev.gatehouse.saml.response.IdpCertificates;
import dev.gatehouse.saml.sp.SpCredential;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A SAML connection's keys in usable form: its IdP certificates parsed ({@link IdpCertificates}) and its SP key
 * pair opened ({@link SpCredential}). Parsing and unsealing happen once per version of the connection (ID and
 * update time), not once per response.
 */
public final class SamlConnectionKeys {
    private static final int MAX_CACHED = 10_000;

    private final ConnectionService connections;
    private final ConcurrentHashMap<String, Keys> cache = new ConcurrentHashMap<>();

    public SamlConnectionKeys(ConnectionService connections) {
        this.connections = connections;
    }

    /** The parsed keys of one version of a connection. */
    public record Keys(IdpCertificates idpCertificates, Optional<SpCredential> sp) {}

    public Keys of(Connection connection) {
        String version = connection.environmentId() + "|" + connection.id() + "|" + connection.updateTime()
                + "|" + connection.spCredential().map(c -> c.certificateId()).orElse("");
        Keys cached = cache.get(version);
        if (cached != null) {
            return cached;
        }
        Keys keys = new Keys(idpCertificates(connection), spCredential(connection));
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(version, keys);
        return keys;
    }

    private static IdpCertificates idpCertificates(Connection connection) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (IdpCertificate certificate : connection.saml().map(SamlSettings::idpCertificates).orElse(List.of())) {
            certificates.add(parsePem(certificate.pem()));
        }
        return IdpCertificates.of(certificates);
    }

    private Optional<SpCredential> spCredential(Connection connection) {
        if (connection.spCredential().isEmpty()) {
            return Optional.empty();
        }
        byte[] privateKey = connections.spPrivateKey(connection).orElseThrow();
        X509Certificate certificate = parsePem(connection.spCredential().get().certificatePem());
        return Optional.of(SpCredential.fromEncoded(privateKey, encoded(certificate)));
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static X509Certificate parsePem(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new IllegalStateException("a stored certificate cannot be read", e);
        }
    }
}
