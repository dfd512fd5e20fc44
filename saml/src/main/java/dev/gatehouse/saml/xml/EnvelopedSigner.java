package dev.gatehouse.saml.xml;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Signs one element with an enveloped XML signature the way SAML requires: one Reference to the element's
 * {@code ID}, the enveloped-signature and exclusive c14n transforms, and the Signature placed right after the
 * element's {@code saml:Issuer} (or first when there is none).
 */
public final class EnvelopedSigner {
    static {
        Santuario.ensureInitialized();
    }

    /** An algorithm pair: the signature method and the digest method. */
    public enum Algorithm {
        RSA_SHA256(XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256, "http://www.w3.org/2001/04/xmlenc#sha256"),
        RSA_SHA1(XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA1, "http://www.w3.org/2000/09/xmldsig#sha1");

        private final String signatureMethod;
        private final String digestMethod;

        Algorithm(String signatureMethod, String digestMethod) {
            this.signatureMethod = signatureMethod;
            this.digestMethod = digestMethod;
        }

        public String signatureMethod() {
            return signatureMethod;
        }

        public String digestMethod() {
            return digestMethod;
        }
    }

    private EnvelopedSigner() {}

    /**
     * Signs {@code element} (which must carry a non-empty {@code ID}) with {@code key}; {@code certificate}, when
     * given, goes into KeyInfo for the receiver's convenience (receivers must not trust it).
     */
    public static void sign(Element element, PrivateKey key, Optional<X509Certificate> certificate, Algorithm algorithm) {
        String id = element.getAttributeNS(null, "ID");
        if (id.isEmpty()) {
            throw new IllegalArgumentException(element.getLocalName() + " has no ID");
        }
        element.setIdAttributeNS(null, "ID", true);
        try {
            XMLSignature signature = new XMLSignature(element.getOwnerDocument(), "", algorithm.signatureMethod(),
                    Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
            element.insertBefore(signature.getElement(), insertionPoint(element));
            Transforms transforms = new Transforms(element.getOwnerDocument());
            transforms.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
            transforms.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
            signature.addDocument("#" + id, transforms, algorithm.digestMethod());
            if (certificate.isPresent()) {
                signature.addKeyInfo(certificate.get());
            }
            signature.sign(key);
        } catch (XMLSecurityException e) {
            throw new IllegalStateException("cannot sign " + element.getLocalName(), e);
        }
    }

    private static Node insertionPoint(Element element) {
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child) {
                return Elements.is(child, SamlNamespaces.ASSERTION, "Issuer") ? child.getNextSibling() : child;
            }
        }
        return null;
    }
}
