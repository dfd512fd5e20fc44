package dev.gatehouse.saml.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.saml.xml.SecureXml;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The directly written unsigned AuthnRequest is byte for byte what the DOM serializer makes of the same request (D-RB5). */
class AuthnRequestXmlTest {
    private static final List<Instant> TIMES = List.of(Instant.parse("2025-06-01T12:00:00.250Z"),
            Instant.parse("2025-06-01T12:00:00Z"), Instant.parse("2025-06-01T12:00:00.123456789Z"));

    @Test
    void writtenRequestEqualsTheSerializedDocumentForEveryShape() {
        List<AuthnRequestSpec> specs = List.of(
                AuthnRequestsTest.SPEC,
                new AuthnRequestSpec("e", "a", "https://i", Optional.empty(), false, Optional.empty()),
                new AuthnRequestSpec("https://sp.test/a&b<c>\"d'", "https://sp.test/acs?x=1&y=\"2\">", "https://idp.test/sso?a=1&b=2",
                        Optional.of(NameIdFormat.EMAIL), true, Optional.of("u&<>\"'=@x.test")),
                new AuthnRequestSpec("urn:sp", "https://sp.test/acs", "http://idp.test/sso", Optional.of(NameIdFormat.PERSISTENT),
                        true, Optional.of("someone@example.test")),
                new AuthnRequestSpec("urn:sp", "https://sp.test/acs", "http://idp.test/sso", Optional.empty(), false,
                        Optional.of("someone@example.test")));
        int written = 0;
        for (AuthnRequestSpec spec : specs) {
            for (Instant now : TIMES) {
                byte[] direct = AuthnRequestXml.write(spec, "id-0123abc", now).orElseThrow();
                byte[] dom = SecureXml.toBytes(AuthnRequests.document(spec, "id-0123abc", now));
                assertThat(new String(direct, StandardCharsets.UTF_8)).isEqualTo(new String(dom, StandardCharsets.UTF_8));
                written++;
            }
        }
        assertThat(written).isEqualTo(15);
    }

    @Test
    void valuesOutsidePrintableAsciiAreLeftToTheDom() {
        for (String hint : List.of("jürgen@example.test", "tab\there@example.test", "line\nbreak@example.test")) {
            AuthnRequestSpec spec = new AuthnRequestSpec("urn:sp", "https://sp.test/acs", "https://idp.test/sso",
                    Optional.empty(), false, Optional.of(hint));
            assertThat(AuthnRequestXml.write(spec, "id-1", TIMES.getFirst())).isEmpty();
        }
        AuthnRequestSpec entity = new AuthnRequestSpec("urn:spé", "https://sp.test/acs", "https://idp.test/sso",
                Optional.empty(), false, Optional.empty());
        assertThat(AuthnRequestXml.write(entity, "id-1", TIMES.getFirst())).isEmpty();
    }

    @Test
    void postFormOfANonAsciiHintStillCarriesTheHint() {
        AuthnRequestSpec spec = new AuthnRequestSpec("urn:sp", "https://sp.test/acs", "https://idp.test/sso",
                Optional.empty(), false, Optional.of("jürgen@example.test"));
        PostBindingForm form = new AuthnRequests().post(spec, "id-2", Optional.empty(), Optional.empty(), TIMES.getFirst());
        String xml = new String(java.util.Base64.getDecoder().decode(form.fields().get("SAMLRequest")), StandardCharsets.UTF_8);
        assertThat(xml).contains(">jürgen@example.test</saml:NameID>");
    }
}
