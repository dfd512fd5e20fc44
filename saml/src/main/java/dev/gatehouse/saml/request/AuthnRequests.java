package dev.gatehouse.saml.request;

import dev.gatehouse.saml.sp.SpCredential;
import dev.gatehouse.saml.xml.EnvelopedSigner;
import dev.gatehouse.saml.xml.SamlNamespaces;
import dev.gatehouse.saml.xml.SecureXml;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.Deflater;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Builds SP-initiated AuthnRequests for both bindings. IDs are {@code id-} + 40 random hex digits (what
 * Scalekit's are shaped like). Signing uses RSA-SHA256: in the query string (SigAlg, Signature) for the
 * HTTP-Redirect binding, and as an enveloped XML signature for the HTTP-POST binding. Thread-safe.
 */
public final class AuthnRequests {
    /** The RSA-SHA256 signature algorithm URI, sent as SigAlg. */
    public static final String SIG_ALG_RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    /** SAML bindings §3.4.3 / §3.5.3: RelayState must not exceed 80 bytes. */
    public static final int RELAY_STATE_MAX_BYTES = 80;

    private final SecureRandom random;

    public AuthnRequests(SecureRandom random) {
        this.random = random;
    }

    public AuthnRequests() {
        this(new SecureRandom());
    }

    /**
     * HTTP-Redirect binding: the request deflated, base64'd and URL-encoded into {@code SAMLRequest}, then
     * {@code RelayState}, and when {@code signer} is given {@code SigAlg} and {@code Signature} over those
     * encoded parameters (SAML bindings §3.4.4.1).
     */
    public RedirectBindingRequest redirect(AuthnRequestSpec spec, Optional<String> relayState, Optional<SpCredential> signer,
                                           Instant now) {
        return redirect(spec, newId(), relayState, signer, now);
    }

    /** {@link #redirect(AuthnRequestSpec, Optional, Optional, Instant)} with a request ID chosen by the caller. */
    public RedirectBindingRequest redirect(AuthnRequestSpec spec, String id, Optional<String> relayState,
                                           Optional<SpCredential> signer, Instant now) {
        checkRelayState(relayState);
        checkId(id);
        byte[] xml = unsignedBytes(spec, id, now);
        StringBuilder query = new StringBuilder("SAMLRequest=").append(urlEncode(Base64.getEncoder().encodeToString(deflate(xml))));
        relayState.ifPresent(value -> query.append("&RelayState=").append(urlEncode(value)));
        if (signer.isPresent()) {
            query.append("&SigAlg=").append(urlEncode(SIG_ALG_RSA_SHA256));
            byte[] signature = sign(query.toString().getBytes(StandardCharsets.UTF_8), signer.get());
            query.append("&Signature=").append(urlEncode(Base64.getEncoder().encodeToString(signature)));
        }
        String base = spec.idpSsoUrl();
        return new RedirectBindingRequest(id, URI.create(base + (base.contains("?") ? "&" : "?") + query));
    }

    /** HTTP-POST binding: the request (with an enveloped signature when {@code signer} is given) in base64. */
    public PostBindingForm post(AuthnRequestSpec spec, Optional<String> relayState, Optional<SpCredential> signer, Instant now) {
        return post(spec, newId(), relayState, signer, now);
    }

    /** {@link #post(AuthnRequestSpec, Optional, Optional, Instant)} with a request ID chosen by the caller. */
    public PostBindingForm post(AuthnRequestSpec spec, String id, Optional<String> relayState, Optional<SpCredential> signer,
                                Instant now) {
        checkRelayState(relayState);
        checkId(id);
        byte[] xml;
        if (signer.isPresent()) {
            Document document = document(spec, id, now);
            EnvelopedSigner.sign(document.getDocumentElement(), signer.get().privateKey(),
                    Optional.of(signer.get().certificate()), EnvelopedSigner.Algorithm.RSA_SHA256);
            xml = SecureXml.toBytes(document);
        } else {
            xml = unsignedBytes(spec, id, now);
        }
        String encoded = Base64.getEncoder().encodeToString(xml);
        return new PostBindingForm(id, spec.idpSsoUrl(), encoded, relayState);
    }

    /** The unsigned request's bytes: written directly when it can be (D-RB5), else the DOM serialized. */
    private static byte[] unsignedBytes(AuthnRequestSpec spec, String id, Instant now) {
        return AuthnRequestXml.write(spec, id, now).orElseGet(() -> SecureXml.toBytes(document(spec, id, now)));
    }

    /** The request as a DOM (signed requests, and values {@link AuthnRequestXml} does not write). */
    static Document document(AuthnRequestSpec spec, String id, Instant now) {
        Document document = SecureXml.newDocument();
        Element request = document.createElementNS(SamlNamespaces.PROTOCOL, "samlp:AuthnRequest");
        request.setAttributeNS(SamlNamespaces.XMLNS, "xmlns:samlp", SamlNamespaces.PROTOCOL);
        request.setAttributeNS(SamlNamespaces.XMLNS, "xmlns:saml", SamlNamespaces.ASSERTION);
        request.setAttributeNS(null, "ID", id);
        request.setAttributeNS(null, "Version", "2.0");
        request.setAttributeNS(null, "IssueInstant", now.truncatedTo(ChronoUnit.MILLIS).toString());
        request.setAttributeNS(null, "Destination", spec.idpSsoUrl());
        request.setAttributeNS(null, "AssertionConsumerServiceURL", spec.acsUrl());
        request.setAttributeNS(null, "ProtocolBinding", SamlNamespaces.BINDING_HTTP_POST);
        if (spec.forceAuthn()) {
            request.setAttributeNS(null, "ForceAuthn", "true");
        }
        document.appendChild(request);
        Element issuer = document.createElementNS(SamlNamespaces.ASSERTION, "saml:Issuer");
        issuer.setTextContent(spec.spEntityId());
        request.appendChild(issuer);
        if (spec.loginHint().isPresent()) {
            Element subject = document.createElementNS(SamlNamespaces.ASSERTION, "saml:Subject");
            Element nameId = document.createElementNS(SamlNamespaces.ASSERTION, "saml:NameID");
            nameId.setAttributeNS(null, "Format", NameIdFormat.EMAIL.uri());
            nameId.setTextContent(spec.loginHint().get());
            subject.appendChild(nameId);
            request.appendChild(subject);
        }
        if (spec.nameIdFormat().isPresent()) {
            Element policy = document.createElementNS(SamlNamespaces.PROTOCOL, "samlp:NameIDPolicy");
            policy.setAttributeNS(null, "Format", spec.nameIdFormat().get().uri());
            policy.setAttributeNS(null, "AllowCreate", "true");
            request.appendChild(policy);
        }
        return document;
    }

    private String newId() {
        byte[] bytes = new byte[20];
        random.nextBytes(bytes);
        return "id-" + HexFormat.of().formatHex(bytes);
    }

    /** An xs:ID (NCName) of reasonable length: a letter or '_' first, then letters, digits, '_', '-', '.'. */
    private static void checkId(String id) {
        if (id == null || !id.matches("[A-Za-z_][A-Za-z0-9_.-]{0,255}")) {
            throw new IllegalArgumentException("an AuthnRequest ID must be an xs:ID of at most 256 characters");
        }
    }

    private static void checkRelayState(Optional<String> relayState) {
        if (relayState.isPresent() && relayState.get().getBytes(StandardCharsets.UTF_8).length > RELAY_STATE_MAX_BYTES) {
            throw new IllegalArgumentException("RelayState must not exceed " + RELAY_STATE_MAX_BYTES + " bytes");
        }
    }

    private byte[] sign(byte[] octets, SpCredential signer) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(signer.privateKey());
            signature.update(octets);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the AuthnRequest", e);
        }
    }

    /** Raw DEFLATE (RFC 1951, no zlib header), as the HTTP-Redirect binding requires. */
    static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFLATED, true);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
            byte[] buffer = new byte[1024];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static String urlEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
