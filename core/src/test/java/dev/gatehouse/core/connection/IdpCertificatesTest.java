package dev.gatehouse.core.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.testing.TestCertificates;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IdpCertificatesTest {
    @Test
    void parseWhenTwoPemBlocksThenBothInOrder() {
        var certificates = IdpCertificates.parse(TestCertificates.IDP_1 + "\n" + TestCertificates.IDP_2);
        assertThat(certificates).hasSize(2);
        assertThat(certificates.get(0).getSubjectX500Principal().getName()).contains("CN=Test IdP 1");
        assertThat(certificates.get(1).getSubjectX500Principal().getName()).contains("CN=Test IdP 2");
    }

    @Test
    void parseWhenBareBase64BodyAsAdfsExportsThenAccepted() {
        String body = TestCertificates.body(TestCertificates.IDP_1);
        assertThat(IdpCertificates.parse(body)).hasSize(1);
        assertThat(IdpCertificates.parse(body.substring(0, 40) + "\n  " + body.substring(40))).hasSize(1);
    }

    @Test
    void describeWhenParsedThenExpiryIssuerAndStableFingerprint() {
        var certificate = IdpCertificates.parse(TestCertificates.EXPIRED).getFirst();
        IdpCertificate described = IdpCertificates.describe("cert_1", certificate, Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(described.expiryTime()).isBefore(Instant.parse("2020-02-01T00:00:00Z"));
        assertThat(described.issuer()).contains("CN=Expired IdP");
        assertThat(described.isValidAt(Instant.parse("2025-01-01T00:00:00Z"))).isFalse();
        assertThat(described.sha256Fingerprint()).hasSize(64)
                .isEqualTo(IdpCertificates.fingerprint(IdpCertificates.parse(described.pem()).getFirst()));
    }

    @Test
    void parseWhenNotACertificateThenReason() {
        assertThatThrownBy(() -> IdpCertificates.parse("hello")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdpCertificates.parse("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"))
                .hasMessageContaining("X.509");
        assertThatThrownBy(() -> IdpCertificates.parse("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
                .hasMessageContaining("PEM");
        assertThatThrownBy(() -> IdpCertificates.parse(" ")).hasMessageContaining("empty");
        String six = (TestCertificates.IDP_1 + "\n").repeat(6);
        assertThatThrownBy(() -> IdpCertificates.parse(six)).hasMessageContaining("at most 5");
    }
}
