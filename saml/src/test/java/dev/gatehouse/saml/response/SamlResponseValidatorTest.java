package dev.gatehouse.saml.response;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.saml.testing.RecordingReplayCache;
import dev.gatehouse.saml.testing.TestIdp;
import dev.gatehouse.saml.testing.TestKeys;
import dev.gatehouse.saml.testing.TestPolicies;
import dev.gatehouse.saml.xml.EnvelopedSigner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.gatehouse.saml.xml.SamlNamespaces;
import dev.gatehouse.saml.xml.SecureXml;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.apache.xml.security.encryption.EncryptedData;
import org.apache.xml.security.encryption.XMLCipher;
import org.apache.xml.security.keys.KeyInfo;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Responses the validator must accept, and what it reads from them. */
class SamlResponseValidatorTest {
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private final RecordingReplayCache replayCache = new RecordingReplayCache();
    private final SamlResponseValidator validator = new SamlResponseValidator(replayCache);

    private ValidatedAssertion accepted(String samlResponse, ValidationPolicy policy) {
        SamlValidation result = validator.validate(samlResponse, policy, NOW);
        assertThat(result).isInstanceOf(ValidatedAssertion.class);
        return (ValidatedAssertion) result;
    }

    @Test
    void validateWhenAssertionSignedThenProfileAttributesAndReplayRecordRead() {
        String response = TestIdp.response(NOW).attribute("groups", "admins", "staff").build().signAssertion().encode();

        ValidatedAssertion assertion = accepted(response, TestPolicies.spInitiated().build());

        assertThat(assertion.issuer()).isEqualTo(TestIdp.ENTITY_ID);
        assertThat(assertion.nameId()).isEqualTo(new NameId("jane.doe@acme.example",
                Optional.of("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress")));
        assertThat(assertion.sessionIndex()).contains("_session-42");
        assertThat(assertion.authnInstant()).contains(NOW.minusSeconds(5));
        assertThat(assertion.inResponseTo()).contains(TestIdp.REQUEST_ID);
        assertThat(assertion.idpInitiated()).isFalse();
        assertThat(assertion.attributesByName()).isEqualTo(Map.of("email", List.of("jane.doe@acme.example"),
                "firstName", List.of("Jane"), "lastName", List.of("Doe"), "groups", List.of("admins", "staff")));
        assertThat(assertion.values("groups")).containsExactly("admins", "staff");
        assertThat(assertion.responseSigned()).isFalse();
        assertThat(assertion.assertionSigned()).isTrue();
        assertThat(assertion.encrypted()).isFalse();
        assertThat(assertion.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(replayCache.uses()).containsExactly(new RecordingReplayCache.Use(TestPolicies.ENVIRONMENT_ID,
                TestPolicies.CONNECTION_ID, assertion.assertionId(), NOW.plus(Duration.ofMinutes(7))));
    }

    @ParameterizedTest
    @CsvSource({"mime", "leading", "trailing"})
    void validateWhenBase64WrappedOrPaddedWithWhitespaceThenAccepted(String layout) {
        TestIdp.TestResponse signed = TestIdp.response(NOW).build().signAssertion();
        byte[] xml = SecureXml.toBytes(signed.document());
        String response = switch (layout) {
            case "mime" -> java.util.Base64.getMimeEncoder().encodeToString(xml); // 76 characters a line, CRLF
            case "leading" -> "\r\n \t" + java.util.Base64.getEncoder().encodeToString(xml);
            default -> java.util.Base64.getEncoder().encodeToString(xml) + "\n";
        };

        ValidatedAssertion assertion = accepted(response, TestPolicies.spInitiated().build());

        assertThat(assertion.assertionSigned()).isTrue();
        assertThat(replayCache.uses()).hasSize(1);
    }

    @Test
    void validateWhenOnlyResponseSignedAndResponseRequiredThenAccepted() {
        String response = TestIdp.response(NOW).build().signResponse().encode();

        ValidatedAssertion assertion = accepted(response, TestPolicies.spInitiated().signing(SigningRequirement.RESPONSE).build());

        assertThat(assertion.responseSigned()).isTrue();
        assertThat(assertion.assertionSigned()).isFalse();
        assertThat(assertion.nameId().value()).isEqualTo("jane.doe@acme.example");
    }

    @Test
    void validateWhenBothSignedAndBothRequiredThenAccepted() {
        String response = TestIdp.response(NOW).build().signAssertion().signResponse().encode();

        ValidatedAssertion assertion = accepted(response, TestPolicies.spInitiated().signing(SigningRequirement.BOTH).build());

        assertThat(assertion.responseSigned()).isTrue();
        assertThat(assertion.assertionSigned()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"true,false", "false,true", "true,true"})
    void validateWhenEitherRequiredThenAnyOneSignatureIsEnough(boolean signResponse, boolean signAssertion) {
        TestIdp.TestResponse response = TestIdp.response(NOW).build();
        if (signAssertion) {
            response.signAssertion();
        }
        if (signResponse) {
            response.signResponse();
        }

        ValidatedAssertion assertion = accepted(response.encode(), TestPolicies.spInitiated().signing(SigningRequirement.EITHER).build());

        assertThat(assertion.responseSigned()).isEqualTo(signResponse);
        assertThat(assertion.assertionSigned()).isEqualTo(signAssertion);
    }

    @Test
    void validateWhenNoSigningRequiredAndNothingSignedThenAccepted() {
        String response = TestIdp.response(NOW).build().encode();

        ValidatedAssertion assertion = accepted(response, TestPolicies.spInitiated().signing(SigningRequirement.NONE).build());

        assertThat(assertion.responseSigned()).isFalse();
        assertThat(assertion.assertionSigned()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p, http://www.w3.org/2009/xmlenc11#aes128-gcm, true",
            "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p, http://www.w3.org/2009/xmlenc11#aes256-gcm, false",
            "http://www.w3.org/2009/xmlenc11#rsa-oaep, http://www.w3.org/2001/04/xmlenc#aes128-cbc, true",
            "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p, http://www.w3.org/2001/04/xmlenc#aes256-cbc, false"})
    void validateWhenSignedAssertionEncryptedThenDecryptedAndSignatureVerified(String keyTransport, String content,
                                                                                boolean keyInsideKeyInfo) {
        String response = TestIdp.response(NOW).build().signAssertion()
                .encryptAssertion(TestKeys.SP.certificate(), keyTransport, content, keyInsideKeyInfo).encode();

        ValidatedAssertion assertion = accepted(response,
                TestPolicies.spInitiated().requireEncryptedAssertion(true).build());

        assertThat(assertion.encrypted()).isTrue();
        assertThat(assertion.assertionSigned()).isTrue();
        assertThat(assertion.nameId().value()).isEqualTo("jane.doe@acme.example");
        assertThat(assertion.values("firstName")).containsExactly("Jane");
    }

    @Test
    void validateWhenEncryptedAssertionUsesPrefixDeclaredOnlyOnResponseThenDecryptedInThatScope() throws Exception {
        TestIdp.TestResponse response = TestIdp.response(NOW).build().signAssertion();
        Element assertion = response.assertion();
        String plaintext = SecureXml.toString(assertion).replace(" xmlns:saml=\"" + SamlNamespaces.ASSERTION + "\"", "");
        assertThat(plaintext).startsWith("<saml:Assertion ").doesNotContain("xmlns:saml=");
        Document document = response.document();
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(128);
        SecretKey contentKey = generator.generateKey();
        XMLCipher keyCipher = XMLCipher.getInstance(XMLCipher.RSA_OAEP);
        keyCipher.init(XMLCipher.WRAP_MODE, TestKeys.SP.certificate().getPublicKey());
        XMLCipher contentCipher = XMLCipher.getInstance(XMLCipher.AES_128_GCM);
        contentCipher.init(XMLCipher.ENCRYPT_MODE, contentKey);
        EncryptedData data = contentCipher.encryptData(document, null,
                new java.io.ByteArrayInputStream(plaintext.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        KeyInfo keyInfo = new KeyInfo(document);
        keyInfo.add(keyCipher.encryptKey(document, contentKey));
        data.setKeyInfo(keyInfo);
        Element encrypted = document.createElementNS(SamlNamespaces.ASSERTION, "saml:EncryptedAssertion");
        encrypted.appendChild(contentCipher.martial(document, data));
        response.response().replaceChild(encrypted, assertion);

        ValidatedAssertion validated = accepted(response.encode(), TestPolicies.spInitiated().build());

        assertThat(validated.encrypted()).isTrue();
        assertThat(validated.assertionSigned()).isTrue();
    }

    @Test
    void validateWhenEncryptedAssertionInsideSignedResponseThenAccepted() {
        String response = TestIdp.response(NOW).build().encryptAssertion(TestKeys.SP.certificate()).signResponse().encode();

        ValidatedAssertion assertion = accepted(response, TestPolicies.spInitiated().signing(SigningRequirement.RESPONSE).build());

        assertThat(assertion.encrypted()).isTrue();
        assertThat(assertion.responseSigned()).isTrue();
    }

    @Test
    void validateWhenSpDecryptionKeysRolledOverThenEitherKeyDecrypts() {
        String response = TestIdp.response(NOW).build().signAssertion().encryptAssertion(TestKeys.SP.certificate()).encode();

        ValidatedAssertion assertion = accepted(response, TestPolicies.spInitiated()
                .decryptionKeys(List.of(TestKeys.SP_OTHER.privateKey(), TestKeys.SP.privateKey())).build());

        assertThat(assertion.encrypted()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(names = {"IDP", "IDP_NEXT"})
    void validateWhenTwoIdpCertificatesConfiguredThenEitherSignatureAccepted(RolloverKey signer) {
        ValidationPolicy policy = TestPolicies.spInitiated().idpCertificates(IdpCertificates.of(
                List.of(TestKeys.IDP.certificate(), TestKeys.IDP_NEXT.certificate()))).build();
        String response = TestIdp.response(NOW).build().signAssertion(signer.key(), EnvelopedSigner.Algorithm.RSA_SHA256)
                .encode();

        assertThat(accepted(response, policy).assertionSigned()).isTrue();
    }

    @Test
    void validateWhenRolloverSignatureHasNoKeyInfoThenEveryConfiguredKeyTried() {
        ValidationPolicy policy = TestPolicies.spInitiated().idpCertificates(IdpCertificates.of(
                List.of(TestKeys.IDP.certificate(), TestKeys.IDP_NEXT.certificate()))).build();
        String response = TestIdp.response(NOW).build()
                .signAssertion(TestKeys.IDP_NEXT, EnvelopedSigner.Algorithm.RSA_SHA256)
                .tamper(doc -> TestIdp.all(doc, "http://www.w3.org/2000/09/xmldsig#", "KeyInfo")
                        .forEach(k -> k.getParentNode().removeChild(k)))
                .encode();

        assertThat(accepted(response, policy).assertionSigned()).isTrue();
    }

    enum RolloverKey {
        IDP, IDP_NEXT;

        dev.gatehouse.saml.sp.SpCredential key() {
            return this == IDP ? TestKeys.IDP : TestKeys.IDP_NEXT;
        }
    }

    @Test
    void validateWhenIdpInitiatedAndAllowedThenAcceptedWithoutInResponseTo() {
        String response = TestIdp.response(NOW).inResponseTo(Optional.empty()).build().signAssertion().encode();
        ValidationPolicy policy = ValidationPolicy.builder(TestPolicies.ENVIRONMENT_ID, TestPolicies.CONNECTION_ID)
                .spEntityId(TestIdp.SP_ENTITY_ID).acsUrl(TestIdp.ACS_URL).idpEntityId(TestIdp.ENTITY_ID)
                .idpCertificates(IdpCertificates.of(List.of(TestKeys.IDP.certificate())))
                .signing(SigningRequirement.ASSERTION).allowIdpInitiated(true).build();

        ValidatedAssertion assertion = accepted(response, policy);

        assertThat(assertion.idpInitiated()).isTrue();
        assertThat(assertion.inResponseTo()).isEmpty();
    }

    @Test
    void validateWhenSha1AndConnectionAllowsItThenAccepted() {
        String response = TestIdp.response(NOW).build().signAssertion(TestKeys.IDP, EnvelopedSigner.Algorithm.RSA_SHA1).encode();

        assertThat(accepted(response, TestPolicies.spInitiated().allowSha1(true).build()).assertionSigned()).isTrue();
    }

    @Test
    void validateWhenTimesWithinClockSkewThenAccepted() {
        String response = TestIdp.response(NOW)
                .notBefore(NOW.plus(Duration.ofSeconds(110)))
                .notOnOrAfter(NOW.minus(Duration.ofSeconds(110)))
                .confirmationNotOnOrAfter(NOW.minus(Duration.ofSeconds(110)))
                .issueInstant(NOW.plus(Duration.ofSeconds(110)))
                .build().signAssertion().encode();

        assertThat(accepted(response, TestPolicies.spInitiated().build()).expiresAt()).isEqualTo(NOW.minusSeconds(110));
    }

    @Test
    void validateWhenBase64HasLineBreaksThenAccepted() {
        String response = TestIdp.response(NOW).build().signAssertion().encode().replaceAll("(.{76})", "$1\r\n");

        assertThat(accepted(response, TestPolicies.spInitiated().build()).assertionSigned()).isTrue();
    }

    @Test
    void validateWhenNameIdHasCommentInsideThenFullValueRead() {
        // The IdP signed "user@evil.com.good.com"; exclusive c14n ignores comments, so the signature still
        // verifies after a comment is slipped in. A reader of the first text node would see "user@evil.com".
        TestIdp.TestResponse signed = TestIdp.response(NOW).nameId("user@evil.com.good.com")
                .attribute("email", "user@evil.com.good.com").build().signAssertion();
        String injected = signed.xml()
                .replace(">user@evil.com.good.com</saml:NameID>", ">user@evil.com<!---->.good.com</saml:NameID>")
                .replace(">user@evil.com.good.com</saml:AttributeValue>", ">user@evil.com<!-- x -->.good.com</saml:AttributeValue>");
        assertThat(injected).contains("user@evil.com<!---->.good.com").contains("<!-- x -->");

        ValidatedAssertion assertion = accepted(TestIdp.encode(injected), TestPolicies.spInitiated().build());

        assertThat(assertion.nameId().value()).isEqualTo("user@evil.com.good.com");
        assertThat(assertion.values("email")).containsExactly("user@evil.com.good.com");
    }

    @Test
    void validateWhenSameValidatorUsedByManyThreadsThenEachResponseAccepted() throws Exception {
        List<String> responses = java.util.stream.IntStream.range(0, 40)
                .mapToObj(i -> TestIdp.response(NOW).assertionId("_parallel" + i).build().signAssertion().encode()).toList();
        ValidationPolicy policy = TestPolicies.spInitiated().build();

        List<SamlValidation> results;
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            results = pool.invokeAll(responses.stream()
                    .<java.util.concurrent.Callable<SamlValidation>>map(r -> () -> validator.validate(r, policy, NOW)).toList())
                    .stream().map(f -> {
                        try {
                            return f.get();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }).toList();
        }

        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(ValidatedAssertion.class));
        assertThat(replayCache.uses()).hasSize(40);
    }

    @Test
    void signingRequirementWhenSeedNamesGivenThenMapped() {
        assertThat(SigningRequirement.fromSeedName("SAML_ONLY_ASSERTION_SIGNING")).isEqualTo(SigningRequirement.ASSERTION);
        assertThat(SigningRequirement.fromSeedName("SAML_ONLY_RESPONSE_SIGNING")).isEqualTo(SigningRequirement.RESPONSE);
        assertThat(SigningRequirement.fromSeedName("SAML_RESPONSE_ASSERTION_SIGNING")).isEqualTo(SigningRequirement.BOTH);
        assertThat(SigningRequirement.fromSeedName("SAML_RESPONSE_OR_ASSERTION_SIGNING")).isEqualTo(SigningRequirement.EITHER);
        assertThat(SigningRequirement.fromSeedName("NO_SIGNING")).isEqualTo(SigningRequirement.NONE);
        assertThat(SigningRequirement.fromSeedName("SAML_SIGNING_OPTIONS_UNSPECIFIED")).isEqualTo(SigningRequirement.EITHER);
        assertThat(SigningRequirement.fromSeedName("")).isEqualTo(SigningRequirement.EITHER);
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> SigningRequirement.fromSeedName("SOMETHING_ELSE"));
    }

    @Test
    void rejectionAuditRecordWhenBuiltThenCarriesCodeStepAndConnection() {
        SamlRejection rejection = new SamlRejection(SamlErrorCode.INVALID_ACS_URL, ValidationStep.RECIPIENT, "why");

        var record = rejection.auditRecord(NOW, "env_1", Optional.of("org_1"), "conn_1", Optional.of("203.0.113.9"));

        assertThat(record.type()).isEqualTo("sso.saml.response.rejected");
        assertThat(record.outcome()).isEqualTo(dev.gatehouse.core.audit.AuditRecord.Outcome.FAILURE);
        assertThat(record.reason()).contains("why");
        assertThat(record.attributes()).isEqualTo(Map.of("error", "invalid_acs_url", "step", "recipient",
                "connection_id", "conn_1"));
    }
}
