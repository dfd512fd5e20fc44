package dev.gatehouse.saml.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.gatehouse.saml.testing.TestKeys;
import dev.gatehouse.saml.xml.Elements;
import dev.gatehouse.saml.xml.SamlNamespaces;
import dev.gatehouse.saml.xml.SecureXml;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Inflater;
import org.apache.xml.security.signature.XMLSignature;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** AuthnRequests as an IdP receives them, for both bindings, signed and unsigned. */
class AuthnRequestsTest {
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00.250Z");
    static final AuthnRequestSpec SPEC = new AuthnRequestSpec("https://auth.example.test/sso/v1/saml/conn_1",
            "https://auth.example.test/sso/v1/saml/conn_1/callback", "https://idp.example.test/sso?tenant=acme",
            Optional.of(NameIdFormat.TRANSIENT), false, Optional.empty());

    private final AuthnRequests requests = new AuthnRequests();

    @Test
    void redirectWhenUnsignedThenDeflatedRequestAndRelayStateInQuery() throws Exception {
        RedirectBindingRequest request = requests.redirect(SPEC, Optional.of("req_123"), Optional.empty(), NOW);

        Map<String, String> query = query(request.location());
        assertThat(request.location().toString()).startsWith("https://idp.example.test/sso?tenant=acme&SAMLRequest=");
        assertThat(query.keySet()).containsExactly("tenant", "SAMLRequest", "RelayState");
        assertThat(query.get("RelayState")).isEqualTo("req_123");
        Element authnRequest = SecureXml.parse(inflate(Base64.getDecoder().decode(query.get("SAMLRequest")))).getDocumentElement();
        assertThat(authnRequest.getLocalName()).isEqualTo("AuthnRequest");
        assertThat(authnRequest.getAttribute("ID")).isEqualTo(request.requestId()).matches("id-[0-9a-f]{40}");
        assertThat(authnRequest.getAttribute("Version")).isEqualTo("2.0");
        assertThat(authnRequest.getAttribute("IssueInstant")).isEqualTo("2025-06-01T12:00:00.250Z");
        assertThat(authnRequest.getAttribute("Destination")).isEqualTo(SPEC.idpSsoUrl());
        assertThat(authnRequest.getAttribute("AssertionConsumerServiceURL")).isEqualTo(SPEC.acsUrl());
        assertThat(authnRequest.getAttribute("ProtocolBinding")).isEqualTo(SamlNamespaces.BINDING_HTTP_POST);
        assertThat(authnRequest.hasAttribute("ForceAuthn")).isFalse();
        assertThat(Elements.children(authnRequest, SamlNamespaces.ASSERTION, "Issuer").getFirst().getTextContent())
                .isEqualTo(SPEC.spEntityId());
        Element policy = Elements.children(authnRequest, SamlNamespaces.PROTOCOL, "NameIDPolicy").getFirst();
        assertThat(policy.getAttribute("Format")).isEqualTo("urn:oasis:names:tc:SAML:2.0:nameid-format:transient");
        assertThat(policy.getAttribute("AllowCreate")).isEqualTo("true");
        assertThat(Elements.children(authnRequest, SamlNamespaces.DSIG, "Signature")).isEmpty();
    }

    @Test
    void redirectWhenSignedThenSignatureOverEncodedParametersVerifiesWithSpCertificate() throws Exception {
        RedirectBindingRequest request = requests.redirect(SPEC, Optional.of("req_123"), Optional.of(TestKeys.SP), NOW);

        String raw = request.location().getRawQuery();
        assertThat(raw).doesNotContain("tenant=acme&tenant");
        String signedPart = raw.substring(raw.indexOf("SAMLRequest="), raw.indexOf("&Signature="));
        String signatureValue = URLDecoder.decode(raw.substring(raw.indexOf("&Signature=") + 11), StandardCharsets.UTF_8);
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(TestKeys.SP.certificate());
        verifier.update(signedPart.getBytes(StandardCharsets.UTF_8));

        assertThat(query(request.location()).get("SigAlg")).isEqualTo(AuthnRequests.SIG_ALG_RSA_SHA256);
        assertThat(verifier.verify(Base64.getDecoder().decode(signatureValue))).isTrue();
        assertThat(signedPart).contains("&RelayState=req_123&SigAlg=");
    }

    @Test
    void postWhenSignedThenEnvelopedSignatureAfterIssuerVerifies() throws Exception {
        AuthnRequestSpec spec = new AuthnRequestSpec(SPEC.spEntityId(), SPEC.acsUrl(), "https://idp.example.test/sso",
                Optional.of(NameIdFormat.EMAIL), true, Optional.of("jane@acme.example"));

        PostBindingForm form = requests.post(spec, Optional.of("req_9"), Optional.of(TestKeys.SP), NOW);

        assertThat(form.action()).isEqualTo("https://idp.example.test/sso");
        assertThat(form.fields().keySet()).containsExactly("SAMLRequest", "RelayState");
        Document document = SecureXml.parse(Base64.getDecoder().decode(form.samlRequest()));
        Element authnRequest = document.getDocumentElement();
        assertThat(authnRequest.getAttribute("ID")).isEqualTo(form.requestId());
        assertThat(authnRequest.getAttribute("ForceAuthn")).isEqualTo("true");
        List<String> order = Elements.children(authnRequest).stream().map(Element::getLocalName).toList();
        assertThat(order).containsExactly("Issuer", "Signature", "Subject", "NameIDPolicy");
        assertThat(authnRequest.getElementsByTagNameNS(SamlNamespaces.ASSERTION, "NameID").item(0).getTextContent())
                .isEqualTo("jane@acme.example");
        authnRequest.setIdAttributeNS(null, "ID", true);
        XMLSignature signature = new XMLSignature(Elements.children(authnRequest, SamlNamespaces.DSIG, "Signature").getFirst(), "", true);
        assertThat(signature.getSignedInfo().getSignatureMethodURI()).isEqualTo(AuthnRequests.SIG_ALG_RSA_SHA256);
        assertThat(signature.checkSignatureValue(TestKeys.SP.certificate().getPublicKey())).isTrue();
        assertThat(signature.getSignedInfo().item(0).getURI()).isEqualTo("#" + form.requestId());
    }

    @Test
    void postWhenUnsignedAndNoRelayStateThenOnlySamlRequest() throws Exception {
        PostBindingForm form = requests.post(SPEC, Optional.empty(), Optional.empty(), NOW);

        assertThat(form.fields().keySet()).containsExactly("SAMLRequest");
        Document document = SecureXml.parse(Base64.getDecoder().decode(form.samlRequest()));
        assertThat(document.getElementsByTagNameNS(SamlNamespaces.DSIG, "Signature").getLength()).isZero();
    }

    @Test
    void requestIdsWhenManyBuiltThenAllDistinct() {
        List<String> ids = java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> requests.post(SPEC, Optional.empty(), Optional.empty(), NOW).requestId()).toList();

        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void relayStateWhenLongerThan80BytesThenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() ->
                requests.post(SPEC, Optional.of("x".repeat(81)), Optional.empty(), NOW));
        assertThat(requests.post(SPEC, Optional.of("x".repeat(80)), Optional.empty(), NOW).relayState()).isPresent();
    }

    @Test
    void specWhenIdpUrlNotHttpThenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new AuthnRequestSpec("sp", "acs", "javascript:alert(1)",
                Optional.empty(), false, Optional.empty()));
    }

    @Test
    void nameIdFormatWhenSeedNameThenUri() {
        assertThat(NameIdFormat.fromSeedName("EMAIL").uri()).isEqualTo("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
        assertThat(Arrays.stream(NameIdFormat.values()).map(NameIdFormat::name))
                .containsExactly("UNSPECIFIED", "EMAIL", "TRANSIENT", "PERSISTENT");
        assertThatIllegalArgumentException().isThrownBy(() -> NameIdFormat.fromSeedName("KERBEROS"));
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static byte[] inflate(byte[] deflated) throws Exception {
        Inflater inflater = new Inflater(true);
        inflater.setInput(deflated);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        while (!inflater.finished()) {
            out.write(buffer, 0, inflater.inflate(buffer));
        }
        inflater.end();
        return out.toByteArray();
    }

}
