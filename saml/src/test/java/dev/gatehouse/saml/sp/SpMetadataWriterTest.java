package dev.gatehouse.saml.sp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.saml.request.NameIdFormat;
import dev.gatehouse.saml.testing.TestKeys;
import dev.gatehouse.saml.xml.Elements;
import dev.gatehouse.saml.xml.SamlNamespaces;
import dev.gatehouse.saml.xml.SecureXml;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** SP metadata as an IdP imports it. */
class SpMetadataWriterTest {
    @Test
    void writeWhenSigningAndEncryptionCertificatesThenBothKeyDescriptorsAndPostAcs() throws Exception {
        String xml = SpMetadataWriter.write(new SpMetadata("https://auth.example.test/sso/v1/saml/conn_1",
                "https://auth.example.test/sso/v1/saml/conn_1/callback", Optional.of(TestKeys.SP.certificate()),
                Optional.of(TestKeys.SP_OTHER.certificate()), true, true, List.of(NameIdFormat.EMAIL, NameIdFormat.PERSISTENT)));

        Element entity = SecureXml.parse(xml).getDocumentElement();
        assertThat(entity.getNamespaceURI()).isEqualTo(SamlNamespaces.METADATA);
        assertThat(entity.getLocalName()).isEqualTo("EntityDescriptor");
        assertThat(entity.getAttribute("entityID")).isEqualTo("https://auth.example.test/sso/v1/saml/conn_1");
        Element sp = Elements.children(entity, SamlNamespaces.METADATA, "SPSSODescriptor").getFirst();
        assertThat(sp.getAttribute("AuthnRequestsSigned")).isEqualTo("true");
        assertThat(sp.getAttribute("WantAssertionsSigned")).isEqualTo("true");
        assertThat(sp.getAttribute("protocolSupportEnumeration")).isEqualTo(SamlNamespaces.PROTOCOL);
        assertThat(Elements.children(sp).stream().map(Element::getLocalName))
                .containsExactly("KeyDescriptor", "KeyDescriptor", "NameIDFormat", "NameIDFormat", "AssertionConsumerService");
        List<Element> keys = Elements.children(sp, SamlNamespaces.METADATA, "KeyDescriptor");
        assertThat(keys.get(0).getAttribute("use")).isEqualTo("signing");
        assertThat(certificate(keys.get(0))).isEqualTo(TestKeys.SP.certificate().getEncoded());
        assertThat(keys.get(1).getAttribute("use")).isEqualTo("encryption");
        assertThat(certificate(keys.get(1))).isEqualTo(TestKeys.SP_OTHER.certificate().getEncoded());
        assertThat(Elements.children(keys.get(1), SamlNamespaces.METADATA, "EncryptionMethod").stream()
                .map(e -> e.getAttribute("Algorithm"))).contains("http://www.w3.org/2009/xmlenc11#aes256-gcm",
                "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p").noneMatch(a -> a.contains("rsa-1_5"));
        assertThat(Elements.children(sp, SamlNamespaces.METADATA, "NameIDFormat").getFirst().getTextContent())
                .isEqualTo(NameIdFormat.EMAIL.uri());
        Element acs = Elements.children(sp, SamlNamespaces.METADATA, "AssertionConsumerService").getFirst();
        assertThat(acs.getAttribute("Binding")).isEqualTo(SamlNamespaces.BINDING_HTTP_POST);
        assertThat(acs.getAttribute("Location")).isEqualTo("https://auth.example.test/sso/v1/saml/conn_1/callback");
        assertThat(acs.getAttribute("index")).isEqualTo("0");
        assertThat(acs.getAttribute("isDefault")).isEqualTo("true");
    }

    @Test
    void writeWhenNoCertificatesThenNoKeyDescriptorAndUnsignedRequests() throws Exception {
        String xml = SpMetadataWriter.write(new SpMetadata("sp&<\"", "https://acs.example/cb?a=1&b=2", Optional.empty(),
                Optional.empty(), false, false, List.of()));

        Element entity = SecureXml.parse(xml).getDocumentElement();
        Element sp = Elements.children(entity, SamlNamespaces.METADATA, "SPSSODescriptor").getFirst();
        assertThat(entity.getAttribute("entityID")).isEqualTo("sp&<\"");
        assertThat(Elements.children(sp, SamlNamespaces.METADATA, "KeyDescriptor")).isEmpty();
        assertThat(sp.getAttribute("AuthnRequestsSigned")).isEqualTo("false");
        assertThat(Elements.children(sp, SamlNamespaces.METADATA, "AssertionConsumerService").getFirst()
                .getAttribute("Location")).isEqualTo("https://acs.example/cb?a=1&b=2");
    }

    private static byte[] certificate(Element keyDescriptor) {
        return Base64.getDecoder().decode(keyDescriptor.getElementsByTagNameNS(SamlNamespaces.DSIG, "X509Certificate")
                .item(0).getTextContent());
    }
}
