package dev.gatehouse.saml.response;

import static dev.gatehouse.saml.response.SamlErrorCode.INVALID_SAML_RESPONSE;
import static dev.gatehouse.saml.response.SamlErrorCode.MALFORMED_SAML_RESPONSE;

import dev.gatehouse.saml.xml.Elements;
import dev.gatehouse.saml.xml.MalformedXmlException;
import dev.gatehouse.saml.xml.SamlNamespaces;
import dev.gatehouse.saml.xml.Santuario;
import dev.gatehouse.saml.xml.SecureXml;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.xml.security.encryption.EncryptedKey;
import org.apache.xml.security.encryption.XMLCipher;
import org.apache.xml.security.encryption.XMLEncryptionException;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Decrypts a {@code saml:EncryptedAssertion} with the SP's private key(s): RSA-OAEP key transport (RSA 1.5 is
 * refused: Bleichenbacher), AES-GCM or AES-CBC content. The EncryptedKey may sit in the EncryptedData's
 * KeyInfo or beside the EncryptedData. The plaintext is parsed by the hardened parser inside a wrapper that
 * declares the namespaces in scope at the EncryptedAssertion, and must be exactly one saml:Assertion.
 */
final class AssertionDecrypter {
    static {
        Santuario.ensureInitialized();
    }

    private static final Set<String> KEY_TRANSPORT = Set.of(XMLCipher.RSA_OAEP, XMLCipher.RSA_OAEP_11);
    private static final Set<String> CONTENT = Set.of(XMLCipher.AES_128, XMLCipher.AES_192, XMLCipher.AES_256,
            XMLCipher.AES_128_GCM, XMLCipher.AES_192_GCM, XMLCipher.AES_256_GCM);
    private static final String WRAPPER = "gatehouse-decrypted";

    private AssertionDecrypter() {}

    static Element decrypt(Element encryptedAssertion, List<PrivateKey> keys) throws Rejected {
        if (keys.isEmpty()) {
            throw fail("the assertion is encrypted but the connection has no SP decryption key");
        }
        List<Element> data = Elements.children(encryptedAssertion, SamlNamespaces.XENC, "EncryptedData");
        if (data.size() != 1) {
            throw new Rejected(MALFORMED_SAML_RESPONSE, ValidationStep.DECRYPTION,
                    "EncryptedAssertion must hold exactly one EncryptedData");
        }
        Element encryptedData = data.getFirst();
        String contentAlgorithm = algorithm(encryptedData);
        if (!CONTENT.contains(contentAlgorithm)) {
            throw fail("content encryption " + contentAlgorithm + " is not accepted (AES-GCM or AES-CBC)");
        }
        List<Element> encryptedKeys = encryptedKeys(encryptedAssertion, encryptedData);
        if (encryptedKeys.isEmpty()) {
            throw fail("no EncryptedKey for the assertion");
        }
        byte[] plaintext = null;
        for (Element encryptedKey : encryptedKeys) {
            String transport = algorithm(encryptedKey);
            if (!KEY_TRANSPORT.contains(transport)) {
                throw fail("key transport " + transport + " is not accepted (RSA-OAEP only)");
            }
            for (PrivateKey key : keys) {
                plaintext = tryDecrypt(encryptedAssertion.getOwnerDocument(), encryptedKey, encryptedData, contentAlgorithm, key);
                if (plaintext != null) {
                    break;
                }
            }
            if (plaintext != null) {
                break;
            }
        }
        if (plaintext == null) {
            throw fail("the assertion does not decrypt with the connection's SP key(s)");
        }
        return parse(plaintext, encryptedAssertion);
    }

    private static byte[] tryDecrypt(Document document, Element encryptedKeyElement, Element encryptedData,
                                     String contentAlgorithm, PrivateKey key) {
        try {
            XMLCipher keyCipher = XMLCipher.getInstance();
            keyCipher.init(XMLCipher.UNWRAP_MODE, key);
            keyCipher.setSecureValidation(true);
            EncryptedKey encryptedKey = keyCipher.loadEncryptedKey(document, encryptedKeyElement);
            Key contentKey = keyCipher.decryptKey(encryptedKey, contentAlgorithm);
            XMLCipher contentCipher = XMLCipher.getInstance();
            contentCipher.init(XMLCipher.DECRYPT_MODE, contentKey);
            contentCipher.setSecureValidation(true);
            return contentCipher.decryptToByteArray(encryptedData);
        } catch (XMLEncryptionException | RuntimeException wrongKeyOrCorrupt) {
            return null;
        }
    }

    private static List<Element> encryptedKeys(Element encryptedAssertion, Element encryptedData) {
        List<Element> found = new ArrayList<>();
        for (Element keyInfo : Elements.children(encryptedData, SamlNamespaces.DSIG, "KeyInfo")) {
            found.addAll(Elements.children(keyInfo, SamlNamespaces.XENC, "EncryptedKey"));
        }
        found.addAll(Elements.children(encryptedAssertion, SamlNamespaces.XENC, "EncryptedKey"));
        return found;
    }

    private static String algorithm(Element encrypted) {
        List<Element> methods = Elements.children(encrypted, SamlNamespaces.XENC, "EncryptionMethod");
        return methods.size() == 1 ? methods.getFirst().getAttributeNS(null, "Algorithm") : "(none)";
    }

    private static Element parse(byte[] plaintext, Element context) throws Rejected {
        String fragment = new String(plaintext, StandardCharsets.UTF_8);
        if (fragment.startsWith("<?xml")) {
            int end = fragment.indexOf("?>");
            fragment = end < 0 ? fragment : fragment.substring(end + 2);
        }
        StringBuilder wrapped = new StringBuilder(fragment.length() + 256).append('<').append(WRAPPER);
        inScopeNamespaces(context).forEach((prefix, uri) -> wrapped.append(' ')
                .append(prefix.isEmpty() ? "xmlns" : "xmlns:" + prefix).append("=\"").append(escape(uri)).append('"'));
        wrapped.append('>').append(fragment).append("</").append(WRAPPER).append('>');
        Document document;
        try {
            document = SecureXml.parse(wrapped.toString());
        } catch (MalformedXmlException e) {
            throw new Rejected(MALFORMED_SAML_RESPONSE, ValidationStep.DECRYPTION, "the decrypted assertion is not well-formed XML");
        }
        List<Element> content = Elements.children(document.getDocumentElement());
        if (content.size() != 1 || !Elements.is(content.getFirst(), SamlNamespaces.ASSERTION, "Assertion")) {
            throw fail("the decrypted content is not exactly one saml:Assertion");
        }
        if (document.getElementsByTagNameNS(SamlNamespaces.ASSERTION, "Assertion").getLength() != 1) {
            throw fail("the decrypted assertion contains another assertion");
        }
        return content.getFirst();
    }

    /** The namespace declarations in scope at {@code element}, the nearest declaration of a prefix winning. */
    private static Map<String, String> inScopeNamespaces(Element element) {
        Map<String, String> namespaces = new LinkedHashMap<>();
        for (Node n = element; n instanceof Element e; n = n.getParentNode()) {
            NamedNodeMap attributes = e.getAttributes();
            for (int i = 0; i < attributes.getLength(); i++) {
                Attr attribute = (Attr) attributes.item(i);
                if (SamlNamespaces.XMLNS.equals(attribute.getNamespaceURI())) {
                    String prefix = "xmlns".equals(attribute.getName()) ? "" : attribute.getLocalName();
                    namespaces.putIfAbsent(prefix, attribute.getValue());
                }
            }
        }
        return namespaces;
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }

    private static Rejected fail(String detail) {
        return new Rejected(INVALID_SAML_RESPONSE, ValidationStep.DECRYPTION, detail);
    }
}
