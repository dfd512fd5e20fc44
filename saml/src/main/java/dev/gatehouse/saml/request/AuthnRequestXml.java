package dev.gatehouse.saml.request;

import dev.gatehouse.saml.xml.SamlNamespaces;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * An unsigned AuthnRequest written straight to its bytes, without building and serializing a DOM (docs/DECISIONS.md
 * D-RB5): the same bytes as {@code SecureXml.toBytes} of {@link AuthnRequests}' document (attributes in the
 * serializer's order, the same escapes; {@code AuthnRequestXmlTest} compares them). Only for values of printable
 * ASCII; anything else (and every signed request) goes through the DOM.
 */
final class AuthnRequestXml {
    private AuthnRequestXml() {}

    /** The request's bytes, or empty when a value has a character outside printable ASCII. */
    static Optional<byte[]> write(AuthnRequestSpec spec, String id, Instant now) {
        String issueInstant = now.truncatedTo(ChronoUnit.MILLIS).toString();
        if (!printable(spec.spEntityId()) || !printable(spec.acsUrl()) || !printable(spec.idpSsoUrl())
                || !printable(id) || !spec.loginHint().map(AuthnRequestXml::printable).orElse(true)) {
            return Optional.empty();
        }
        StringBuilder xml = new StringBuilder(768)
                .append("<samlp:AuthnRequest xmlns:samlp=\"").append(SamlNamespaces.PROTOCOL)
                .append("\" xmlns:saml=\"").append(SamlNamespaces.ASSERTION).append('"');
        attribute(xml, "AssertionConsumerServiceURL", spec.acsUrl());
        attribute(xml, "Destination", spec.idpSsoUrl());
        if (spec.forceAuthn()) {
            attribute(xml, "ForceAuthn", "true");
        }
        attribute(xml, "ID", id);
        attribute(xml, "IssueInstant", issueInstant);
        attribute(xml, "ProtocolBinding", SamlNamespaces.BINDING_HTTP_POST);
        attribute(xml, "Version", "2.0");
        xml.append("><saml:Issuer>");
        text(xml, spec.spEntityId());
        xml.append("</saml:Issuer>");
        if (spec.loginHint().isPresent()) {
            xml.append("<saml:Subject><saml:NameID");
            attribute(xml, "Format", NameIdFormat.EMAIL.uri());
            xml.append('>');
            text(xml, spec.loginHint().get());
            xml.append("</saml:NameID></saml:Subject>");
        }
        if (spec.nameIdFormat().isPresent()) {
            xml.append("<samlp:NameIDPolicy");
            attribute(xml, "AllowCreate", "true");
            attribute(xml, "Format", spec.nameIdFormat().get().uri());
            xml.append("/>");
        }
        xml.append("</samlp:AuthnRequest>");
        return Optional.of(xml.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean printable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static void attribute(StringBuilder xml, String name, String value) {
        xml.append(' ').append(name).append("=\"");
        escaped(xml, value, true);
        xml.append('"');
    }

    private static void text(StringBuilder xml, String value) {
        escaped(xml, value, false);
    }

    /** The serializer's escapes: {@code & < >} everywhere, {@code "} in attribute values only. */
    private static void escaped(StringBuilder xml, String value, boolean attribute) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> xml.append("&amp;");
                case '<' -> xml.append("&lt;");
                case '>' -> xml.append("&gt;");
                case '"' -> xml.append(attribute ? "&quot;" : "\"");
                default -> xml.append(c);
            }
        }
    }
}
