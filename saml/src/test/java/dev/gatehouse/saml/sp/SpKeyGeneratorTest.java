package dev.gatehouse.saml.sp;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** The generated SP certificate is a valid self-signed X.509 v3 certificate that the JDK reads back. */
class SpKeyGeneratorTest {
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00.700Z");

    @Test
    void generateWhenCalledThenRsa2048SelfSignedV3CertificateWithTheValidity() throws Exception {
        SpCredential credential = new SpKeyGenerator().generate("Gatehouse SP conn_1", NOW, Duration.ofDays(3650));
        X509Certificate certificate = credential.certificate();

        assertThat(certificate.getVersion()).isEqualTo(3);
        assertThat(((RSAPublicKey) certificate.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=Gatehouse SP conn_1");
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(certificate.getNotBefore().toInstant()).isEqualTo(Instant.parse("2025-06-01T12:00:00Z"));
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(Instant.parse("2035-05-30T12:00:00Z"));
        assertThat(certificate.getSerialNumber()).isPositive();
        assertThat(certificate.getSerialNumber().bitLength()).isEqualTo(127);
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getKeyUsage()).startsWith(true, false, true, true, false);
        certificate.verify(certificate.getPublicKey());
        certificate.checkValidity(Date.from(NOW.plusSeconds(60)));
    }

    @Test
    void generateWhenValidityReachesPast2049ThenGeneralizedTimeReadBack() {
        SpCredential credential = new SpKeyGenerator().generate("sp", NOW, Duration.ofDays(365 * 30));

        assertThat(credential.certificate().getNotAfter().toInstant()).isAfter(Instant.parse("2050-01-01T00:00:00Z"));
    }

    @Test
    void privateKeyWhenUsedThenMatchesCertificatesPublicKey() throws Exception {
        SpCredential credential = new SpKeyGenerator().generate("sp", NOW, Duration.ofDays(1));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(credential.privateKey());
        signer.update(new byte[] {1, 2, 3});
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(credential.certificate());
        verifier.update(new byte[] {1, 2, 3});

        assertThat(verifier.verify(signer.sign())).isTrue();
    }

    @Test
    void encodedFormsWhenReadBackThenSameCredential() {
        SpCredential credential = new SpKeyGenerator().generate("sp", NOW, Duration.ofDays(1));

        SpCredential read = SpCredential.fromEncoded(credential.privateKeyPkcs8(), credential.certificateDer());

        assertThat(read.certificate()).isEqualTo(credential.certificate());
        assertThat(read.privateKey().getEncoded()).isEqualTo(credential.privateKey().getEncoded());
        assertThat(credential.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n")
                .endsWith("\n-----END CERTIFICATE-----\n");
        assertThat(credential.certificateBase64()).doesNotContain("\n");
    }

    @Test
    void derWhenKnownValuesThenStandardEncodings() {
        assertThat(Der.oid("1.2.840.113549.1.1.11")).containsExactly(0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B);
        assertThat(Der.oid("2.5.4.3")).containsExactly(0x06, 0x03, 0x55, 0x04, 0x03);
        assertThat(Der.integer(BigInteger.valueOf(128))).containsExactly(0x02, 0x02, 0x00, 0x80);
        assertThat(Der.tlv(0x04, new byte[200])).startsWith(0x04, 0x81, 0xC8);
        assertThat(Der.tlv(0x04, new byte[300])).startsWith(0x04, 0x82, 0x01, 0x2C);
        assertThat(Der.time(Instant.parse("2049-12-31T23:59:59Z"))).startsWith(0x17);
        assertThat(Der.time(Instant.parse("2050-01-01T00:00:00Z"))).startsWith(0x18);
    }
}
