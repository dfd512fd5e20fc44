package dev.gatehouse.core.connection;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads IdP signing certificates the way admins paste them: one or more PEM blocks, or the bare base64 body
 * of an AD FS {@code X509Certificate} element (R-SSO-64). Parsing is the JDK's X.509 {@link CertificateFactory}.
 */
public final class IdpCertificates {
    /** More than this many certificates on one connection is refused: a rollover needs two, three at most. */
    public static final int MAX_CERTIFICATES = 5;
    public static final int MAX_TEXT_LENGTH = 64 * 1024;
    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", Pattern.DOTALL);
    private static final Pattern BASE64_BODY = Pattern.compile("[A-Za-z0-9+/=\\s]+");

    private IdpCertificates() {}

    /** The certificates in {@code text}; throws {@link IllegalArgumentException} with a reason fit for the caller. */
    public static List<X509Certificate> parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the certificate is empty");
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException("the certificate text is longer than " + MAX_TEXT_LENGTH + " characters");
        }
        List<String> bodies = new ArrayList<>();
        Matcher blocks = PEM_BLOCK.matcher(text);
        while (blocks.find()) {
            bodies.add(blocks.group(1));
        }
        if (bodies.isEmpty()) {
            if (text.contains("-----") || !BASE64_BODY.matcher(text).matches()) {
                throw new IllegalArgumentException("the certificate must be PEM (BEGIN CERTIFICATE) or base64 DER");
            }
            bodies.add(text);
        }
        if (bodies.size() > MAX_CERTIFICATES) {
            throw new IllegalArgumentException("at most " + MAX_CERTIFICATES + " certificates are accepted");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (String body : bodies) {
            certificates.add(fromDer(decodeBase64(body)));
        }
        return certificates;
    }

    /** One certificate from its DER bytes. */
    public static X509Certificate fromDer(byte[] der) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("the certificate is not a valid X.509 certificate");
        }
    }

    /** Base64 with any whitespace (XML and PEM wrap lines). */
    public static byte[] decodeBase64(String body) {
        try {
            return Base64.getMimeDecoder().decode(body.replaceAll("\\s", "").getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the certificate is not valid base64");
        }
    }

    public static String pem(X509Certificate certificate) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der(certificate));
        return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
    }

    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der(certificate)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stored description of {@code certificate}, learnt at {@code now} under {@code id}. */
    public static IdpCertificate describe(String id, X509Certificate certificate, Instant now) {
        return new IdpCertificate(id, pem(certificate), now, certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(), certificate.getIssuerX500Principal().getName(),
                certificate.getSubjectX500Principal().getName(), fingerprint(certificate));
    }

    private static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
