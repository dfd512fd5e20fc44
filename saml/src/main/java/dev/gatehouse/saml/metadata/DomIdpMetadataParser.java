package dev.gatehouse.saml.metadata;

import dev.gatehouse.core.connection.IdpCertificates;
import dev.gatehouse.core.connection.IdpMetadata;
import dev.gatehouse.core.connection.IdpMetadataException;
import dev.gatehouse.core.connection.IdpMetadataParser;
import dev.gatehouse.core.connection.RequestBinding;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads SAML 2.0 IdP metadata (SAML metadata §2.3-2.4) with the JDK's DOM parser, hardened: no DOCTYPE at all
 * (so no entity expansion and no external entities), no external DTDs or schemas, no XInclude, secure processing
 * limits, and at most {@link #MAX_BYTES}. Takes the one {@code EntityDescriptor} with an {@code IDPSSODescriptor}
 * for SAML 2.0: its entityID, SSO and SLO endpoints of the HTTP-POST and HTTP-Redirect bindings, every signing
 * certificate ({@code KeyDescriptor} with {@code use="signing"} or no use), and {@code WantAuthnRequestsSigned}.
 * Metadata whose {@code validUntil} has passed is refused. The metadata's own signature is not checked: a URL is
 * fetched over https from the IdP, and XML comes from the admin.
 */
public final class DomIdpMetadataParser implements IdpMetadataParser {
    public static final int MAX_BYTES = 1024 * 1024;
    static final String MD = "urn:oasis:names:tc:SAML:2.0:metadata";
    static final String DS = "http://www.w3.org/2000/09/xmldsig#";
    static final String SAML2_PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol";
    private static final int MAX_ENTITY_ID = 1024;

    private final Clock clock;

    public DomIdpMetadataParser(Clock clock) {
        this.clock = clock;
    }

    @Override
    public IdpMetadata parse(byte[] document) {
        if (document.length > MAX_BYTES) {
            throw new IdpMetadataException("the metadata is larger than 1 MiB");
        }
        Element root = parseXml(document).getDocumentElement();
        checkValidUntil(root);
        Element entity = identityProvider(root);
        checkValidUntil(entity);
        String entityId = entity.getAttribute("entityID").strip();
        if (entityId.isEmpty() || entityId.length() > MAX_ENTITY_ID) {
            throw new IdpMetadataException("the EntityDescriptor has no usable entityID");
        }
        Element idp = ssoDescriptor(entity);
        List<X509Certificate> certificates = new ArrayList<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (Element keyDescriptor : children(idp, MD, "KeyDescriptor")) {
            String use = keyDescriptor.getAttribute("use");
            if (!use.isEmpty() && !use.equals("signing")) {
                continue;
            }
            NodeList encoded = keyDescriptor.getElementsByTagNameNS(DS, "X509Certificate");
            for (int i = 0; i < encoded.getLength(); i++) {
                X509Certificate certificate;
                try {
                    certificate = IdpCertificates.fromDer(IdpCertificates.decodeBase64(encoded.item(i).getTextContent()));
                } catch (IllegalArgumentException e) {
                    throw new IdpMetadataException("a signing certificate of the metadata is invalid: " + e.getMessage());
                }
                if (seen.putIfAbsent(IdpCertificates.fingerprint(certificate), true) == null) {
                    certificates.add(certificate);
                }
            }
        }
        String wantSigned = idp.getAttribute("WantAuthnRequestsSigned").strip();
        return new IdpMetadata(entityId, endpoints(idp, "SingleSignOnService"), endpoints(idp, "SingleLogoutService"),
                certificates, wantSigned.equals("true") || wantSigned.equals("1"));
    }

    static Document parseXml(byte[] document) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(QUIET);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not allowed");
            });
            return builder.parse(new ByteArrayInputStream(document));
        } catch (SAXException e) {
            String message = String.valueOf(e.getMessage());
            throw new IdpMetadataException(message.contains("DOCTYPE")
                    ? "the metadata has a DOCTYPE, which is not allowed" : "the metadata is not well-formed XML");
        } catch (IOException | ParserConfigurationException e) {
            throw new IdpMetadataException("the metadata could not be read");
        }
    }

    private static Element identityProvider(Element root) {
        if (is(root, "EntityDescriptor")) {
            return root;
        }
        if (!is(root, "EntitiesDescriptor")) {
            throw new IdpMetadataException("the document is not SAML 2.0 metadata (no EntityDescriptor)");
        }
        List<Element> candidates = new ArrayList<>();
        NodeList entities = root.getElementsByTagNameNS(MD, "EntityDescriptor");
        for (int i = 0; i < entities.getLength(); i++) {
            Element entity = (Element) entities.item(i);
            if (!children(entity, MD, "IDPSSODescriptor").isEmpty()) {
                candidates.add(entity);
            }
        }
        if (candidates.size() != 1) {
            throw new IdpMetadataException(candidates.isEmpty() ? "the metadata describes no identity provider"
                    : "the metadata describes " + candidates.size() + " identity providers; give the metadata of one");
        }
        return candidates.getFirst();
    }

    private static Element ssoDescriptor(Element entity) {
        for (Element descriptor : children(entity, MD, "IDPSSODescriptor")) {
            if (descriptor.getAttribute("protocolSupportEnumeration").contains(SAML2_PROTOCOL)) {
                return descriptor;
            }
        }
        throw new IdpMetadataException("the metadata has no IDPSSODescriptor for SAML 2.0");
    }

    private static Map<RequestBinding, String> endpoints(Element idp, String name) {
        Map<RequestBinding, String> endpoints = new EnumMap<>(RequestBinding.class);
        for (Element service : children(idp, MD, name)) {
            String binding = service.getAttribute("Binding");
            String location = service.getAttribute("Location").strip();
            for (RequestBinding candidate : RequestBinding.values()) {
                if (candidate.urn().equals(binding) && !location.isEmpty()) {
                    endpoints.putIfAbsent(candidate, location);
                }
            }
        }
        return endpoints;
    }

    private void checkValidUntil(Element element) {
        String validUntil = element.getAttribute("validUntil").strip();
        if (validUntil.isEmpty()) {
            return;
        }
        try {
            Instant expiry = Instant.parse(validUntil);
            if (!clock.instant().isBefore(expiry)) {
                throw new IdpMetadataException("the metadata expired at " + expiry + " (validUntil)");
            }
        } catch (DateTimeParseException e) {
            throw new IdpMetadataException("the metadata's validUntil is not a valid time");
        }
    }

    private static boolean is(Element element, String localName) {
        return MD.equals(element.getNamespaceURI()) && localName.equals(element.getLocalName());
    }

    private static List<Element> children(Element parent, String namespace, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && namespace.equals(element.getNamespaceURI())
                    && localName.equals(element.getLocalName())) {
                found.add(element);
            }
        }
        return found;
    }

    private static final ErrorHandler QUIET = new ErrorHandler() {
        @Override
        public void warning(SAXParseException exception) {
            // ignored: warnings do not stop parsing and must not reach stderr
        }

        @Override
        public void error(SAXParseException exception) throws SAXException {
            throw exception;
        }

        @Override
        public void fatalError(SAXParseException exception) throws SAXException {
            throw exception;
        }
    };
}
