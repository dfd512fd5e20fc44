package dev.gatehouse.saml.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The hardened parser refuses every DOCTYPE and never reaches outside the document. */
class SecureXmlTest {
    @Test
    void parseWhenPlainNamespacedXmlThenDocument() throws Exception {
        Document document = SecureXml.parse("<a:r xmlns:a=\"urn:x\"><a:c>text</a:c></a:r>".getBytes(StandardCharsets.UTF_8));

        assertThat(document.getDocumentElement().getNamespaceURI()).isEqualTo("urn:x");
        assertThat(document.getDocumentElement().getTextContent()).isEqualTo("text");
    }

    @Test
    void parseWhenAnyDoctypeThenRefused() {
        assertThatThrownBy(() -> SecureXml.parse("<!DOCTYPE r><r/>")).isInstanceOf(MalformedXmlException.class);
        assertThatThrownBy(() -> SecureXml.parse("<!DOCTYPE r [<!ENTITY e \"x\">]><r>&e;</r>"))
                .isInstanceOf(MalformedXmlException.class);
        assertThatThrownBy(() -> SecureXml.parse("<!DOCTYPE r SYSTEM \"file:///etc/passwd\"><r/>"))
                .isInstanceOf(MalformedXmlException.class);
    }

    @Test
    void parseWhenXIncludeThenLeftAsAnElementAndNothingIncluded() throws Exception {
        Document document = SecureXml.parse("<r xmlns:xi=\"http://www.w3.org/2001/XInclude\">"
                + "<xi:include href=\"file:///etc/hostname\" parse=\"text\"/></r>");

        assertThat(document.getDocumentElement().getFirstChild().getLocalName()).isEqualTo("include");
        assertThat(document.getDocumentElement().getTextContent()).isEmpty();
    }

    @Test
    void parseWhenNestedDeeperThanTheLimitThenRefused() throws Exception {
        String deep = "<a>".repeat(20_000) + "</a>".repeat(20_000);
        String allowed = "<a>".repeat(SecureXml.MAX_DEPTH) + "</a>".repeat(SecureXml.MAX_DEPTH);

        assertThatThrownBy(() -> SecureXml.parse(deep)).isInstanceOf(MalformedXmlException.class);
        assertThat(SecureXml.parse(allowed).getDocumentElement().getLocalName()).isEqualTo("a");
    }

    @Test
    void parseWhenRefusedOnceThenTheThreadsParserStillWorks() throws Exception {
        assertThatThrownBy(() -> SecureXml.parse("<r>")).isInstanceOf(MalformedXmlException.class);

        assertThat(SecureXml.parse("<r>ok</r>").getDocumentElement().getTextContent()).isEqualTo("ok");
    }

    @Test
    void toBytesWhenSerializedThenNoDeclarationAndSameContent() throws Exception {
        Document document = SecureXml.parse("<r a=\"1\"><c>é</c></r>");

        assertThat(SecureXml.toString(document)).isEqualTo("<r a=\"1\"><c>é</c></r>");
    }
}
