package dev.gatehouse.saml.sp;

import dev.gatehouse.saml.request.NameIdFormat;
import dev.gatehouse.saml.xml.SamlNamespaces;
import dev.gatehouse.saml.xml.SecureXml;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes SP metadata (SAML metadata §2.4.4): an EntityDescriptor with one SPSSODescriptor, its signing and
 * encryption KeyDescriptors, the accepted NameID formats and the HTTP-POST AssertionConsumerService. The
 * encryption KeyDescriptor lists the algorithms the validator accepts, so IdPs that read it choose one.
 */
public final class SpMetadataWriter {
    private static final List<String> ENCRYPTION_METHODS = List.of(
            "http://www.w3.org/2009/xmlenc11#aes256-gcm", "http://www.w3.org/2009/xmlenc11#aes128-gcm",
            "http://www.w3.org/2001/04/xmlenc#aes256-cbc", "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
            "http://www.w3.org/2009/xmlenc11#rsa-oaep", "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p");

    private SpMetadataWriter() {}

    /** The metadata document as UTF-8 XML text (no XML declaration). */
    public static String write(SpMetadata metadata) {
        Document document = SecureXml.newDocument();
        Element entity = document.createElementNS(SamlNamespaces.METADATA, "md:EntityDescriptor");
        entity.setAttributeNS(SamlNamespaces.XMLNS, "xmlns:md", SamlNamespaces.METADATA);
        entity.setAttributeNS(SamlNamespaces.XMLNS, "xmlns:ds", SamlNamespaces.DSIG);
        entity.setAttributeNS(null, "entityID", metadata.entityId());
        document.appendChild(entity);

        Element sp = child(entity, "md:SPSSODescriptor");
        sp.setAttributeNS(null, "AuthnRequestsSigned", Boolean.toString(metadata.authnRequestsSigned()));
        sp.setAttributeNS(null, "WantAssertionsSigned", Boolean.toString(metadata.wantAssertionsSigned()));
        sp.setAttributeNS(null, "protocolSupportEnumeration", SamlNamespaces.PROTOCOL);
        metadata.signingCertificate().ifPresent(certificate -> keyDescriptor(sp, "signing", certificate));
        metadata.encryptionCertificate().ifPresent(certificate -> {
            Element descriptor = keyDescriptor(sp, "encryption", certificate);
            for (String algorithm : ENCRYPTION_METHODS) {
                child(descriptor, "md:EncryptionMethod").setAttributeNS(null, "Algorithm", algorithm);
            }
        });
        for (NameIdFormat format : metadata.nameIdFormats()) {
            child(sp, "md:NameIDFormat").setTextContent(format.uri());
        }
        Element acs = child(sp, "md:AssertionConsumerService");
        acs.setAttributeNS(null, "Binding", SamlNamespaces.BINDING_HTTP_POST);
        acs.setAttributeNS(null, "Location", metadata.acsUrl());
        acs.setAttributeNS(null, "index", "0");
        acs.setAttributeNS(null, "isDefault", "true");
        return SecureXml.toString(document);
    }

    private static Element keyDescriptor(Element sp, String use, X509Certificate certificate) {
        Element descriptor = child(sp, "md:KeyDescriptor");
        descriptor.setAttributeNS(null, "use", use);
        Element keyInfo = descriptor.getOwnerDocument().createElementNS(SamlNamespaces.DSIG, "ds:KeyInfo");
        descriptor.appendChild(keyInfo);
        Element data = descriptor.getOwnerDocument().createElementNS(SamlNamespaces.DSIG, "ds:X509Data");
        keyInfo.appendChild(data);
        Element value = descriptor.getOwnerDocument().createElementNS(SamlNamespaces.DSIG, "ds:X509Certificate");
        try {
            value.setTextContent(Base64.getEncoder().encodeToString(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("unreadable SP certificate", e);
        }
        data.appendChild(value);
        return descriptor;
    }

    private static Element child(Element parent, String qualifiedName) {
        Element element = parent.getOwnerDocument().createElementNS(SamlNamespaces.METADATA, qualifiedName);
        parent.appendChild(element);
        return element;
    }
}
