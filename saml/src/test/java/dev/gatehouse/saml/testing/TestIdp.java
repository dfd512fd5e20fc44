package dev.gatehouse.saml.testing;

import dev.gatehouse.saml.sp.SpCredential;
import dev.gatehouse.saml.xml.EnvelopedSigner;
import dev.gatehouse.saml.xml.Elements;
import dev.gatehouse.saml.xml.MalformedXmlException;
import dev.gatehouse.saml.xml.SamlNamespaces;
import dev.gatehouse.saml.xml.Santuario;
import dev.gatehouse.saml.xml.SecureXml;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.apache.xml.security.encryption.EncryptedData;
import org.apache.xml.security.encryption.EncryptedKey;
import org.apache.xml.security.encryption.XMLCipher;
import org.apache.xml.security.keys.KeyInfo;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A SAML IdP for tests: builds Web SSO responses with every field adjustable, signs the Assertion and/or the
 * Response with Santuario, encrypts the Assertion for the SP, and lets a test tamper with the DOM in between.
 * Defaults describe a valid SP-initiated response for {@link #SP_ENTITY_ID} at {@link #ACS_URL}.
 */
public final class TestIdp {
    public static final String ENTITY_ID = "https://idp.example.test/realms/acme";
    public static final String SP_ENTITY_ID = "https://auth.example.test/sso/v1/saml/conn_1";
    public static final String ACS_URL = "https://auth.example.test/sso/v1/saml/conn_1/callback";
    public static final String REQUEST_ID = "id-0123456789abcdef0123456789abcdef01234567";

    static {
        Santuario.ensureInitialized();
    }

    private TestIdp() {}

    /** A valid response issued at {@code now}, answering {@link #REQUEST_ID}; change it before {@link Spec#build()}. */
    public static Spec response(Instant now) {
        return new Spec(now);
    }

    /** The fields of a response. Setters return this; {@link #build()} makes the DOM. */
    public static final class Spec {
        private final Instant now;
        String responseId = "_r" + Long.toHexString(System.nanoTime()) + "a1b2c3d4";
        String assertionId = "_a" + Long.toHexString(System.nanoTime()) + "e5f6a7b8";
        Instant issueInstant;
        Optional<String> destination = Optional.of(ACS_URL);
        Optional<String> inResponseTo = Optional.of(REQUEST_ID);
        Optional<String> confirmationInResponseTo = Optional.of(REQUEST_ID);
        String status = SamlNamespaces.STATUS_SUCCESS;
        Optional<String> responseIssuer = Optional.of(ENTITY_ID);
        String assertionIssuer = ENTITY_ID;
        String nameId = "jane.doe@acme.example";
        String nameIdFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
        String audience = SP_ENTITY_ID;
        String recipient = ACS_URL;
        Instant notBefore;
        Instant notOnOrAfter;
        Instant confirmationNotOnOrAfter;
        final Map<String, List<String>> attributes = new LinkedHashMap<>();

        Spec(Instant now) {
            this.now = now;
            this.issueInstant = now;
            this.notBefore = now.minusSeconds(30);
            this.notOnOrAfter = now.plus(Duration.ofMinutes(5));
            this.confirmationNotOnOrAfter = now.plus(Duration.ofMinutes(5));
            attributes.put("email", List.of("jane.doe@acme.example"));
            attributes.put("firstName", List.of("Jane"));
            attributes.put("lastName", List.of("Doe"));
        }

        public Spec assertionId(String value) { assertionId = value; return this; }
        public Spec issueInstant(Instant value) { issueInstant = value; return this; }
        public Spec destination(Optional<String> value) { destination = value; return this; }
        /** InResponseTo on the Response and on the bearer confirmation data. */
        public Spec inResponseTo(Optional<String> value) { inResponseTo = value; confirmationInResponseTo = value; return this; }
        public Spec status(String value) { status = value; return this; }
        public Spec issuer(String value) { responseIssuer = Optional.of(value); assertionIssuer = value; return this; }
        public Spec nameId(String value) { nameId = value; return this; }
        public Spec audience(String value) { audience = value; return this; }
        public Spec recipient(String value) { recipient = value; return this; }
        public Spec notBefore(Instant value) { notBefore = value; return this; }
        public Spec notOnOrAfter(Instant value) { notOnOrAfter = value; return this; }
        public Spec confirmationNotOnOrAfter(Instant value) { confirmationNotOnOrAfter = value; return this; }
        public Spec attribute(String name, String... values) { attributes.put(name, List.of(values)); return this; }

        public Instant now() {
            return now;
        }

        public TestResponse build() {
            StringBuilder xml = new StringBuilder(4096);
            xml.append("<samlp:Response xmlns:samlp=\"").append(SamlNamespaces.PROTOCOL).append("\" xmlns:saml=\"")
                    .append(SamlNamespaces.ASSERTION).append("\" ID=\"").append(esc(responseId))
                    .append("\" Version=\"2.0\" IssueInstant=\"").append(issueInstant).append('"');
            destination.ifPresent(d -> xml.append(" Destination=\"").append(esc(d)).append('"'));
            inResponseTo.ifPresent(r -> xml.append(" InResponseTo=\"").append(esc(r)).append('"'));
            xml.append('>');
            responseIssuer.ifPresent(i -> xml.append("<saml:Issuer>").append(esc(i)).append("</saml:Issuer>"));
            xml.append("<samlp:Status><samlp:StatusCode Value=\"").append(esc(status)).append("\"/></samlp:Status>");
            xml.append("<saml:Assertion xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"")
                    .append(SamlNamespaces.XSI).append("\" ID=\"").append(esc(assertionId))
                    .append("\" Version=\"2.0\" IssueInstant=\"").append(issueInstant).append("\">");
            xml.append("<saml:Issuer>").append(esc(assertionIssuer)).append("</saml:Issuer>");
            xml.append("<saml:Subject><saml:NameID Format=\"").append(esc(nameIdFormat)).append("\">").append(esc(nameId))
                    .append("</saml:NameID><saml:SubjectConfirmation Method=\"").append(SamlNamespaces.BEARER)
                    .append("\"><saml:SubjectConfirmationData NotOnOrAfter=\"").append(confirmationNotOnOrAfter)
                    .append("\" Recipient=\"").append(esc(recipient)).append('"');
            confirmationInResponseTo.ifPresent(r -> xml.append(" InResponseTo=\"").append(esc(r)).append('"'));
            xml.append("/></saml:SubjectConfirmation></saml:Subject>");
            xml.append("<saml:Conditions NotBefore=\"").append(notBefore).append("\" NotOnOrAfter=\"").append(notOnOrAfter)
                    .append("\"><saml:AudienceRestriction><saml:Audience>").append(esc(audience))
                    .append("</saml:Audience></saml:AudienceRestriction></saml:Conditions>");
            xml.append("<saml:AuthnStatement AuthnInstant=\"").append(now.minusSeconds(5))
                    .append("\" SessionIndex=\"_session-42\"><saml:AuthnContext><saml:AuthnContextClassRef>")
                    .append("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")
                    .append("</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>");
            if (!attributes.isEmpty()) {
                xml.append("<saml:AttributeStatement>");
                attributes.forEach((name, values) -> {
                    xml.append("<saml:Attribute Name=\"").append(esc(name))
                            .append("\" NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:basic\">");
                    for (String value : values) {
                        xml.append("<saml:AttributeValue xsi:type=\"xs:string\">").append(esc(value)).append("</saml:AttributeValue>");
                    }
                    xml.append("</saml:Attribute>");
                });
                xml.append("</saml:AttributeStatement>");
            }
            xml.append("</saml:Assertion></samlp:Response>");
            try {
                return new TestResponse(SecureXml.parse(xml.toString()));
            } catch (MalformedXmlException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A response DOM being signed, encrypted or tampered with. */
    public static final class TestResponse {
        private final Document document;

        TestResponse(Document document) {
            this.document = document;
        }

        public Document document() {
            return document;
        }

        public Element response() {
            return document.getDocumentElement();
        }

        public Element assertion() {
            return Elements.children(response(), SamlNamespaces.ASSERTION, "Assertion").getFirst();
        }

        public TestResponse signAssertion() {
            return signAssertion(TestKeys.IDP, EnvelopedSigner.Algorithm.RSA_SHA256);
        }

        public TestResponse signAssertion(SpCredential key, EnvelopedSigner.Algorithm algorithm) {
            EnvelopedSigner.sign(assertion(), key.privateKey(), Optional.of(key.certificate()), algorithm);
            return this;
        }

        public TestResponse signResponse() {
            return signResponse(TestKeys.IDP, EnvelopedSigner.Algorithm.RSA_SHA256);
        }

        public TestResponse signResponse(SpCredential key, EnvelopedSigner.Algorithm algorithm) {
            EnvelopedSigner.sign(response(), key.privateKey(), Optional.of(key.certificate()), algorithm);
            return this;
        }

        /** Encrypts the Assertion for the SP (RSA-OAEP + AES-128-GCM, EncryptedKey inside KeyInfo). */
        public TestResponse encryptAssertion(X509Certificate spCertificate) {
            return encryptAssertion(spCertificate, XMLCipher.RSA_OAEP, XMLCipher.AES_128_GCM, true);
        }

        /**
         * Replaces the Assertion with an EncryptedAssertion: {@code keyTransport} wraps a fresh AES key for
         * {@code spCertificate}; the EncryptedKey goes into the EncryptedData's KeyInfo or beside it.
         */
        public TestResponse encryptAssertion(X509Certificate spCertificate, String keyTransport, String content,
                                             boolean keyInsideKeyInfo) {
            try {
                Element assertion = assertion();
                KeyGenerator generator = KeyGenerator.getInstance("AES");
                generator.init(content.contains("256") ? 256 : 128);
                SecretKey contentKey = generator.generateKey();
                XMLCipher keyCipher = XMLCipher.getInstance(keyTransport);
                keyCipher.init(XMLCipher.WRAP_MODE, spCertificate.getPublicKey());
                EncryptedKey encryptedKey = keyCipher.encryptKey(document, contentKey);
                XMLCipher contentCipher = XMLCipher.getInstance(content);
                contentCipher.init(XMLCipher.ENCRYPT_MODE, contentKey);
                EncryptedData encryptedData = contentCipher.getEncryptedData();
                if (keyInsideKeyInfo) {
                    KeyInfo keyInfo = new KeyInfo(document);
                    keyInfo.add(encryptedKey);
                    encryptedData.setKeyInfo(keyInfo);
                }
                Element wrapper = document.createElementNS(SamlNamespaces.ASSERTION, "saml:EncryptedAssertion");
                response().replaceChild(wrapper, assertion);
                wrapper.appendChild(assertion);
                contentCipher.doFinal(document, assertion, false);
                if (!keyInsideKeyInfo) {
                    wrapper.appendChild(keyCipher.martial(document, encryptedKey));
                }
                return this;
            } catch (Exception e) {
                throw new IllegalStateException("cannot encrypt the test assertion", e);
            }
        }

        /** Lets the test tamper with the DOM. */
        public TestResponse tamper(Consumer<Document> change) {
            change.accept(document);
            return this;
        }

        public String xml() {
            return new String(SecureXml.toBytes(document), StandardCharsets.UTF_8);
        }

        /** The SAMLResponse form value. */
        public String encode() {
            return Base64.getEncoder().encodeToString(SecureXml.toBytes(document));
        }
    }

    /** The SAMLResponse value of arbitrary XML text. */
    public static String encode(String xml) {
        return Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
    }

    static String esc(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Every element named {@code localName} in {@code namespace}, in document order. */
    public static List<Element> all(Document document, String namespace, String localName) {
        var nodes = document.getElementsByTagNameNS(namespace, localName);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            found.add((Element) nodes.item(i));
        }
        return found;
    }
}
