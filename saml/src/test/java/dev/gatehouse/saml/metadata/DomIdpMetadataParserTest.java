package dev.gatehouse.saml.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.connection.IdpMetadata;
import dev.gatehouse.core.connection.IdpMetadataException;
import dev.gatehouse.core.connection.RequestBinding;
import dev.gatehouse.core.testing.MutableClock;
import dev.gatehouse.core.testing.TestIdpMetadata;
import dev.gatehouse.core.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DomIdpMetadataParserTest {
    final DomIdpMetadataParser parser = new DomIdpMetadataParser(new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));

    IdpMetadata parse(String xml) {
        return parser.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parseWhenRolloverMetadataThenEntityBindingsAndEverySigningCertificateOnce() {
        IdpMetadata metadata = parse(TestIdpMetadata.rollover());
        assertThat(metadata.entityId()).isEqualTo("https://idp.example.test/entity");
        assertThat(metadata.ssoUrls()).containsOnly(
                java.util.Map.entry(RequestBinding.HTTP_POST, "https://idp.example.test/sso/post"),
                java.util.Map.entry(RequestBinding.HTTP_REDIRECT, "https://idp.example.test/sso/redirect"));
        assertThat(metadata.sloUrls()).containsOnlyKeys(RequestBinding.HTTP_REDIRECT);
        assertThat(metadata.signingCertificates()).extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=Test IdP 1,O=Gatehouse Tests", "CN=Test IdP 2,O=Gatehouse Tests");
        assertThat(metadata.wantAuthnRequestsSigned()).isTrue();
    }

    @Test
    void parseWhenAggregateWithOneIdentityProviderThenThatOne() {
        String aggregate = "<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\">"
                + "<md:EntityDescriptor entityID=\"https://sp.example.test\"><md:SPSSODescriptor protocolSupportEnumeration=\""
                + DomIdpMetadataParser.SAML2_PROTOCOL + "\"/></md:EntityDescriptor>"
                + TestIdpMetadata.idp("urn:idp:one", TestIdpMetadata.keyDescriptor("signing", TestCertificates.IDP_2))
                        .replace(" xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\"", "")
                + "</md:EntitiesDescriptor>";
        assertThat(parse(aggregate).entityId()).isEqualTo("urn:idp:one");
    }

    @Test
    void parseWhenValidUntilInTheFutureThenAcceptedWhenPassedThenRefused() {
        String key = TestIdpMetadata.keyDescriptor("signing", TestCertificates.IDP_1);
        assertThat(parse(TestIdpMetadata.idp("urn:idp", key, " validUntil=\"2026-02-01T00:00:00Z\"")).entityId()).isEqualTo("urn:idp");
        assertThatThrownBy(() -> parse(TestIdpMetadata.idp("urn:idp", key, " validUntil=\"2025-12-31T00:00:00Z\"")))
                .isInstanceOf(IdpMetadataException.class).hasMessageContaining("expired");
    }

    @Test
    void parseWhenDoctypeOrExternalEntitiesThenRefusedWithoutResolvingThem() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE md [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + TestIdpMetadata.idp("&xxe;", "");
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>"
                + TestIdpMetadata.idp("&lol2;", "");
        String parameterEntity = "<?xml version=\"1.0\"?><!DOCTYPE md [<!ENTITY % remote SYSTEM \"http://127.0.0.1:1/x.dtd\"> %remote;]>"
                + TestIdpMetadata.idp("urn:x", "");
        for (String document : new String[] {xxe, laughs, parameterEntity}) {
            assertThatThrownBy(() -> parse(document)).isInstanceOf(IdpMetadataException.class).hasMessageContaining("DOCTYPE");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not xml at all",
            "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"x\">",
            "<EntityDescriptor entityID=\"x\"/>",
            "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"\"><md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\"/></md:EntityDescriptor>",
            "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"x\"><md:SPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\"/></md:EntityDescriptor>",
            "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"x\"><md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:1.1:protocol\"/></md:EntityDescriptor>",
            "<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\"/>"})
    void parseWhenNotUsableIdpMetadataThenReason(String document) {
        assertThatThrownBy(() -> parse(document)).isInstanceOf(IdpMetadataException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }

    @Test
    void parseWhenTwoIdentityProvidersOrBadCertificateOrTooLargeThenRefused() {
        String one = TestIdpMetadata.idp("urn:a", "").replace(" xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\"", "");
        String two = "<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\">" + one
                + one.replace("urn:a", "urn:b") + "</md:EntitiesDescriptor>";
        assertThatThrownBy(() -> parse(two)).hasMessageContaining("2 identity providers");
        String badCertificate = TestIdpMetadata.idp("urn:a", TestIdpMetadata.keyDescriptor("signing", TestCertificates.IDP_1)
                .replace(TestCertificates.body(TestCertificates.IDP_1), "AAAA"));
        assertThatThrownBy(() -> parse(badCertificate)).hasMessageContaining("certificate");
        byte[] huge = new byte[DomIdpMetadataParser.MAX_BYTES + 1];
        assertThatThrownBy(() -> parser.parse(huge)).hasMessageContaining("1 MiB");
    }

    @Test
    void parseWhenNoSigningCertificateThenEmptyListForTheServiceToRefuse() {
        IdpMetadata metadata = parse(TestIdpMetadata.idp("urn:a", TestIdpMetadata.keyDescriptor("encryption", TestCertificates.IDP_1)));
        assertThat(metadata.signingCertificates()).isEmpty();
    }
}
