package dev.gatehouse.saml.sp;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Generates an SP key pair (RSA-2048) and a self-signed X.509 v3 certificate for it with the JDK only: the
 * certificate is encoded by hand in DER ({@link Der}) and signed with SHA256withRSA. Subject and issuer are
 * {@code CN=<commonName>}; the extensions say "not a CA" and allow signing and key encipherment.
 */
public final class SpKeyGenerator {
    /** How long a generated certificate is valid; IdPs rarely enforce SP certificate expiry. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(3650);

    private static final String SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    /** digitalSignature (bit 0), keyEncipherment (bit 2), dataEncipherment (bit 3): 1011 0000, 4 unused bits. */
    private static final byte[] KEY_USAGE_BITS = {(byte) 0xB0};

    private final SecureRandom random;

    public SpKeyGenerator(SecureRandom random) {
        this.random = random;
    }

    public SpKeyGenerator() {
        this(new SecureRandom());
    }

    /** A new key pair and its certificate, valid from {@code now} (whole seconds) for {@code validity}. */
    public SpCredential generate(String commonName, Instant now, Duration validity) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, random);
            KeyPair pair = generator.generateKeyPair();
            Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS);
            byte[] name = Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8String(commonName))));
            byte[] algorithm = Der.sequence(Der.oid(SHA256_WITH_RSA), Der.nullValue());
            byte[] extensions = Der.explicit(3, Der.sequence(
                    Der.sequence(Der.oid(BASIC_CONSTRAINTS), Der.bool(true), Der.octetString(Der.sequence())),
                    Der.sequence(Der.oid(KEY_USAGE), Der.bool(true), Der.octetString(Der.bitString(KEY_USAGE_BITS, 4)))));
            byte[] tbs = Der.sequence(
                    Der.explicit(0, Der.integer(BigInteger.TWO)),
                    Der.integer(serialNumber()),
                    algorithm,
                    name,
                    Der.sequence(Der.time(notBefore), Der.time(notBefore.plus(validity))),
                    name,
                    pair.getPublic().getEncoded(),
                    extensions);
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(pair.getPrivate(), random);
            signer.update(tbs);
            byte[] certificate = Der.sequence(tbs, algorithm, Der.bitString(signer.sign(), 0));
            return new SpCredential(pair.getPrivate(), SpCredential.parseCertificate(certificate));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate RSA keys", e);
        }
    }

    /** 127 random bits, positive and never zero (RFC 5280 §4.1.2.2: at most 20 octets). */
    private BigInteger serialNumber() {
        return new BigInteger(127, random).setBit(126);
    }
}
