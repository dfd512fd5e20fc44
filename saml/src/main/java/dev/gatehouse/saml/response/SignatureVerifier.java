package dev.gatehouse.saml.response;

import static dev.gatehouse.saml.response.SamlErrorCode.SIGNATURE_VALIDATION_FAILED;

import dev.gatehouse.saml.xml.Elements;
import dev.gatehouse.saml.xml.SamlNamespaces;
import dev.gatehouse.saml.xml.Santuario;
import java.security.Provider;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.signature.Reference;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Verifies the enveloped signature of one SAML element (Response or Assertion) with Santuario, against the
 * configured IdP keys only. Before Santuario sees the signature, its SignedInfo is checked by hand: exclusive
 * c14n, an allowed signature and digest algorithm, exactly one Reference whose URI is {@code #} + the
 * element's ID, only the enveloped-signature and exclusive c14n transforms, and no ds:Object. After the
 * cryptographic check, the node the Reference resolved to must be the element itself.
 */
final class SignatureVerifier {
    static {
        Santuario.ensureInitialized();
    }

    private static final String EXC_C14N = Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS;
    private static final Set<String> TRANSFORMS = Set.of(Transforms.TRANSFORM_ENVELOPED_SIGNATURE, EXC_C14N);
    private static final Set<String> SIGNATURE_METHODS = Set.of(
            XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256, XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA384,
            XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA512, XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA256,
            XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA384, XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA512);
    private static final Set<String> SHA1_SIGNATURE_METHODS = Set.of(
            XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA1, XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA1);
    private static final Set<String> DIGEST_METHODS = Set.of(
            "http://www.w3.org/2001/04/xmlenc#sha256", "http://www.w3.org/2001/04/xmldsig-more#sha384",
            "http://www.w3.org/2001/04/xmlenc#sha512");
    private static final String SHA1_DIGEST = "http://www.w3.org/2000/09/xmldsig#sha1";

    private SignatureVerifier() {}

    /**
     * Verifies {@code signature}, a direct child of {@code signed}, whose {@code ID} attribute the caller has
     * registered as the element's ID. Returns normally only when the signature verifies with one of
     * {@code certificates} and covers exactly {@code signed}; otherwise throws with {@code step}.
     */
    static void verify(Element signed, Element signature, IdpCertificates certificates, boolean allowSha1,
                       Optional<Provider> rsaSha256, ValidationStep step) throws Rejected {
        String what = signed.getLocalName();
        if (certificates.isEmpty()) {
            throw new Rejected(SIGNATURE_VALIDATION_FAILED, step, what + " is signed but no IdP certificate is configured");
        }
        String method = checkSignedInfo(signed, signature, allowSha1, step);
        try {
            // The faster engine computes only the RSA-SHA256 signature value; digests and c14n stay Santuario's.
            XMLSignature xmlSignature = rsaSha256.isPresent() && XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256.equals(method)
                    ? new XMLSignature(signature, "", true, rsaSha256.get())
                    : new XMLSignature(signature, "", true);
            for (PublicKey key : certificates.keysPreferring(keyInfoCertificate(signature))) {
                if (checks(xmlSignature, key)) {
                    Reference reference = xmlSignature.getSignedInfo().item(0);
                    Node referenced = reference.getContentsBeforeTransformation().getSubNode();
                    if (referenced != signed) {
                        throw new Rejected(SIGNATURE_VALIDATION_FAILED, step,
                                what + " signature's Reference resolves to another element");
                    }
                    return;
                }
            }
        } catch (XMLSecurityException | RuntimeException e) {
            throw new Rejected(SIGNATURE_VALIDATION_FAILED, step, what + " signature cannot be verified: " + e.getMessage());
        }
        throw new Rejected(SIGNATURE_VALIDATION_FAILED, step,
                what + " signature does not verify with any configured IdP certificate");
    }

    private static boolean checks(XMLSignature signature, PublicKey key) {
        try {
            return signature.checkSignatureValue(key);
        } catch (XMLSecurityException | RuntimeException wrongKeyType) {
            return false;
        }
    }

    /** Checks the SignedInfo's shape and algorithms; returns its SignatureMethod. */
    private static String checkSignedInfo(Element signed, Element signature, boolean allowSha1, ValidationStep step)
            throws Rejected {
        String what = signed.getLocalName();
        List<Element> parts = Elements.children(signature);
        if (parts.isEmpty() || !Elements.is(parts.getFirst(), SamlNamespaces.DSIG, "SignedInfo")) {
            throw new Rejected(SIGNATURE_VALIDATION_FAILED, step, what + " signature has no SignedInfo");
        }
        if (!Elements.children(signature, SamlNamespaces.DSIG, "Object").isEmpty()) {
            throw new Rejected(SIGNATURE_VALIDATION_FAILED, step, what + " signature contains ds:Object, which SAML never needs");
        }
        Element signedInfo = parts.getFirst();
        String c14n = algorithm(signedInfo, "CanonicalizationMethod");
        if (!EXC_C14N.equals(c14n)) {
            throw new Rejected(SIGNATURE_VALIDATION_FAILED, step, what + " signature uses canonicalization " + c14n
                    + "; only exclusive c14n without comments is accepted");
        }
        String method = algorithm(signedInfo, "SignatureMethod");
        if (!SIGNATURE_METHODS.contains(method) && !(allowSha1 && SHA1_SIGNATURE_METHODS.contains(method))) {
            throw new Rejected(SIGNATURE_VALIDATION_FAILED, step, what + " signature algorithm " + method + " is not allowed"
                    + (SHA1_SIGNATURE_METHODS.contains(method) ? " (SHA-1 is refused unless the connection allows it)" : ""));
        }
        List<Element> references = Elements.children(signedInfo, SamlNamespaces.DSIG, "Reference");
        if (references.size() != 1) {
            throw new Rejected(SIGNATURE_VALIDATION_FAILED, step,
                    what + " signature has " + references.size() + " References; exactly one is accepted");
        }
        Element reference = references.getFirst();
        String expectedUri = "#" + signed.getAttributeNS(null, "ID");
        if (!expectedUri.equals(reference.getAttributeNS(null, "URI"))) {
            throw new Rejected(SIGNATURE_VALIDATION_FAILED, step,
                    what + " signature does not reference the " + what + " it belongs to");
        }
        List<Element> transformLists = Elements.children(reference, SamlNamespaces.DSIG, "Transforms");
        if (transformLists.size() > 1) {
            throw new Rejected(SIGNATURE_VALIDATION_FAILED, step, what + " signature has several Transforms elements");
        }
        for (Element transformsElement : transformLists) {
            List<Element> transforms = Elements.children(transformsElement, SamlNamespaces.DSIG, "Transform");
            if (transforms.size() > TRANSFORMS.size()) {
                throw new Rejected(SIGNATURE_VALIDATION_FAILED, step, what + " signature has too many transforms");
            }
            for (Element transform : transforms) {
                String uri = transform.getAttributeNS(null, "Algorithm");
                if (!TRANSFORMS.contains(uri)) {
                    throw new Rejected(SIGNATURE_VALIDATION_FAILED, step, what + " signature uses transform " + uri
                            + "; only enveloped-signature and exclusive c14n are accepted");
                }
            }
        }
        String digest = algorithm(reference, "DigestMethod");
        if (!DIGEST_METHODS.contains(digest) && !(allowSha1 && SHA1_DIGEST.equals(digest))) {
            throw new Rejected(SIGNATURE_VALIDATION_FAILED, step, what + " signature digest " + digest + " is not allowed"
                    + (SHA1_DIGEST.equals(digest) ? " (SHA-1 is refused unless the connection allows it)" : ""));
        }
        return method;
    }

    private static String algorithm(Element parent, String child) {
        List<Element> found = Elements.children(parent, SamlNamespaces.DSIG, child);
        return found.size() == 1 ? found.getFirst().getAttributeNS(null, "Algorithm") : "(" + found.size() + " " + child + ")";
    }

    /** The first X509Certificate of the signature's KeyInfo, used only to try the matching configured key first. */
    private static Optional<byte[]> keyInfoCertificate(Element signature) {
        for (Element keyInfo : Elements.children(signature, SamlNamespaces.DSIG, "KeyInfo")) {
            for (Element data : Elements.children(keyInfo, SamlNamespaces.DSIG, "X509Data")) {
                for (Element certificate : Elements.children(data, SamlNamespaces.DSIG, "X509Certificate")) {
                    try {
                        return Optional.of(Base64.getMimeDecoder().decode(certificate.getTextContent()));
                    } catch (IllegalArgumentException e) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.empty();
    }
}
