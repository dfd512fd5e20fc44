package dev.gatehouse.saml.xml;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The one XML parser of the SAML module: namespace-aware, no DOCTYPE at all (so no internal or external
 * entities), no external DTDs or schemas, no XInclude, secure processing on. Builders are reused per thread
 * (a {@link DocumentBuilder} is not thread-safe, and creating one costs more than parsing a response).
 * Elements may nest at most {@value #MAX_DEPTH} deep, so that no recursive walk (c14n, text content) can
 * exhaust the stack.
 * The caller bounds the input size before parsing.
 */
public final class SecureXml {
    /** The JDK parser's element depth limit: SAML responses nest about 10 deep; 1 MiB of nesting would not. */
    static final int MAX_DEPTH = 64;
    private static final String MAX_ELEMENT_DEPTH = "http://www.oracle.com/xml/jaxp/properties/maxElementDepth";
    private static final String DEFER_NODE_EXPANSION = "http://apache.org/xml/features/dom/defer-node-expansion";
    private static final DocumentBuilderFactory FACTORY = hardenedFactory();
    private static final ThreadLocal<DocumentBuilder> BUILDERS = ThreadLocal.withInitial(SecureXml::newBuilder);
    private static final ThreadLocal<TransformerFactory> TRANSFORMER_FACTORIES =
            ThreadLocal.withInitial(SecureXml::transformerFactory);
    private static final ErrorHandler FAIL_ON_ERROR = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
            // Warnings do not make a document unsafe.
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private SecureXml() {}

    /** Parses a whole document. Any DOCTYPE, entity reference to the outside, or malformation is refused. */
    public static Document parse(byte[] xml) throws MalformedXmlException {
        return parse(new InputSource(new ByteArrayInputStream(xml)));
    }

    /** Parses a document given as text (already decoded). */
    public static Document parse(String xml) throws MalformedXmlException {
        return parse(new InputSource(new StringReader(xml)));
    }

    private static Document parse(InputSource source) throws MalformedXmlException {
        DocumentBuilder builder = BUILDERS.get();
        try {
            return builder.parse(source);
        } catch (SAXException | IOException | RuntimeException e) {
            throw new MalformedXmlException("not a well-formed XML document: " + e.getMessage(), e);
        } finally {
            builder.reset();
            builder.setErrorHandler(FAIL_ON_ERROR);
            builder.setEntityResolver(SecureXml::refuseEntity);
        }
    }

    /** An empty namespace-aware document to build XML in. */
    public static Document newDocument() {
        return BUILDERS.get().newDocument();
    }

    /** UTF-8 bytes of {@code node}, without an XML declaration and without reformatting (signatures stay valid). */
    public static byte[] toBytes(Node node) {
        try {
            Transformer transformer = TRANSFORMER_FACTORIES.get().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
            transformer.transform(new DOMSource(node), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot serialize XML", e);
        }
    }

    /** {@link #toBytes} as a string. */
    public static String toString(Node node) {
        return new String(toBytes(node), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Looking a factory up costs more than serializing a response; a factory is not thread-safe. */
    private static TransformerFactory transformerFactory() {
        TransformerFactory factory = TransformerFactory.newInstance();
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        } catch (javax.xml.transform.TransformerConfigurationException e) {
            throw new IllegalStateException("the JDK's XML transformer lacks secure processing", e);
        }
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
        return factory;
    }

    private static InputSource refuseEntity(String publicId, String systemId) throws SAXException {
        throw new SAXException("external entities are not allowed");
    }

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            builder.setErrorHandler(FAIL_ON_ERROR);
            builder.setEntityResolver(SecureXml::refuseEntity);
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DocumentBuilderFactory hardenedFactory() {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        try {
            factory.setNamespaceAware(true);
            factory.setValidating(false);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setAttribute(MAX_ELEMENT_DEPTH, MAX_DEPTH);
            // Validation reads the whole document (c14n, assertion count): building the nodes at once is cheaper.
            factory.setFeature(DEFER_NODE_EXPANSION, false);
        } catch (ParserConfigurationException | IllegalArgumentException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a required security feature", e);
        }
        return factory;
    }
}
