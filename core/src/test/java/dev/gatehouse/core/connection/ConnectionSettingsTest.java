package dev.gatehouse.core.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionSettingsTest {
    static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

    static SamlSettings saml(Optional<String> entityId, Optional<String> ssoUrl, List<IdpCertificate> certificates,
                             SamlSigningOption signing) {
        SamlSettings e = SamlSettings.empty();
        return new SamlSettings(Optional.empty(), entityId, ssoUrl, Optional.empty(), certificates, e.nameIdFormat(),
                e.ssoRequestBinding(), e.sloRequestBinding(), signing, false, false, false, false, false, false,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    static IdpCertificate certificate() {
        return new IdpCertificate("cert_1", "pem", NOW, NOW, NOW.plusSeconds(3600), "CN=x", "CN=x", "ab");
    }

    @Test
    void samlStatusWhenNothingThenDraftWhenPartThenInProgressWhenAllThenCompleted() {
        assertThat(SamlSettings.empty().status(false)).isEqualTo(ConnectionStatus.DRAFT);
        var partial = saml(Optional.of("https://idp"), Optional.empty(), List.of(), SamlSigningOption.RESPONSE_OR_ASSERTION);
        assertThat(partial.status(false)).isEqualTo(ConnectionStatus.IN_PROGRESS);
        assertThat(partial.missing(false)).containsExactly("idp_sso_url", "idp_certificate");
        var complete = saml(Optional.of("https://idp"), Optional.of("https://idp/sso"), List.of(certificate()),
                SamlSigningOption.RESPONSE_OR_ASSERTION);
        assertThat(complete.status(false)).isEqualTo(ConnectionStatus.COMPLETED);
    }

    @Test
    void samlStatusWhenUnsignedThenCertificateNeededUnlessDebug() {
        var unsigned = saml(Optional.of("https://idp"), Optional.of("https://idp/sso"), List.of(), SamlSigningOption.NO_SIGNING);
        assertThat(unsigned.status(false)).isEqualTo(ConnectionStatus.IN_PROGRESS);
        assertThat(unsigned.status(true)).isEqualTo(ConnectionStatus.COMPLETED);
    }

    @Test
    void oidcStatusWhenIssuerClientAndSecretThenCompletedWithoutEndpoints() {
        OidcSettings e = OidcSettings.empty();
        assertThat(e.status(false)).isEqualTo(ConnectionStatus.DRAFT);
        var byIssuer = new OidcSettings(Optional.of("https://idp"), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of("client"), Optional.of(new SealedValue("AA==")),
                e.scopes(), e.tokenAuthMethod(), true, false);
        assertThat(byIssuer.status(false)).isEqualTo(ConnectionStatus.COMPLETED);
        var manual = new OidcSettings(Optional.empty(), Optional.empty(), Optional.of("https://idp/a"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of("client"), Optional.empty(), e.scopes(),
                e.tokenAuthMethod(), true, false);
        assertThat(manual.missing(false)).containsExactly("token_uri", "jwks_uri", "client_secret");
    }

    @Test
    void sealedValueWhenPrintedThenRedacted() {
        assertThat(new SealedValue("c2VjcmV0").toString()).doesNotContain("c2VjcmV0");
    }
}
