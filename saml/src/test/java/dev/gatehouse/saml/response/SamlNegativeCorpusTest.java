package dev.gatehouse.saml.response;

import static dev.gatehouse.saml.response.SamlErrorCode.ASSERTION_EXPIRED;
import static dev.gatehouse.saml.response.SamlErrorCode.INVALID_ACS_URL;
import static dev.gatehouse.saml.response.SamlErrorCode.INVALID_SAML_RESPONSE;
import static dev.gatehouse.saml.response.SamlErrorCode.INVALID_STATUS;
import static dev.gatehouse.saml.response.SamlErrorCode.MALFORMED_SAML_RESPONSE;
import static dev.gatehouse.saml.response.SamlErrorCode.RESPONSE_EXPIRED;
import static dev.gatehouse.saml.response.SamlErrorCode.SIGNATURE_VALIDATION_FAILED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.saml.testing.RecordingReplayCache;
import dev.gatehouse.saml.testing.TestIdp;
import dev.gatehouse.saml.testing.TestKeys;
import dev.gatehouse.saml.testing.TestPolicies;
import dev.gatehouse.saml.xml.Elements;
import dev.gatehouse.saml.xml.EnvelopedSigner;
import dev.gatehouse.saml.xml.SamlNamespaces;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.xml.security.algorithms.MessageDigestAlgorithm;
import org.apache.xml.security.encryption.XMLCipher;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.junit.jupiter.api.Test;

import org.w3c.dom.Element;

/**
 * The negative corpus of issue 4: every response here must be refused with the right seed error code and
 * the failing step, and nothing may reach the replay cache (nothing persisted).
 */
class SamlNegativeCorpusTest {
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private final RecordingReplayCache replayCache = new RecordingReplayCache();
    private final SamlResponseValidator validator = validator(replayCache);

    /** The validator under test (a subclass runs the corpus again with another RSA-SHA256 engine). */
    SamlResponseValidator validator(RecordingReplayCache cache) {
        return new SamlResponseValidator(cache);
    }

    private SamlRejection assertRejected(String samlResponse, ValidationPolicy policy, SamlErrorCode code,
                                         ValidationStep step) {
        SamlValidation result = validator.validate(samlResponse, policy, NOW);
        assertThat(result).isInstanceOf(SamlRejection.class);
        SamlRejection rejection = (SamlRejection) result;
        assertThat(rejection.code()).as(rejection.detail()).isEqualTo(code);
        assertThat(rejection.step()).as(rejection.detail()).isEqualTo(step);
        assertThat(replayCache.uses()).as("nothing recorded for a refused response").isEmpty();
        return rejection;
    }

    private SamlRejection assertRejected(String samlResponse, SamlErrorCode code, ValidationStep step) {
        return assertRejected(samlResponse, TestPolicies.spInitiated().build(), code, step);
    }

    private static TestIdp.TestResponse valid() {
        return TestIdp.response(NOW).build();
    }

    private static Element signatureOf(Element element) {
        return Elements.children(element, SamlNamespaces.DSIG, "Signature").getFirst();
    }

    /** An unsigned copy of the signed assertion with another ID and subject: the attacker's assertion. */
    private static Element evilCopy(Element signedAssertion) {
        Element evil = (Element) signedAssertion.cloneNode(true);
        evil.setAttributeNS(null, "ID", "_evil");
        evil.removeChild(signatureOf(evil));
        Elements.children(Elements.children(evil, SamlNamespaces.ASSERTION, "Subject").getFirst(),
                SamlNamespaces.ASSERTION, "NameID").getFirst().setTextContent("admin@acme.example");
        return evil;
    }

    // ---- signatures ----

    @Test
    void unsignedResponseWhenAssertionSignatureRequiredThenSignatureValidationFailed() {
        SamlRejection rejection = assertRejected(valid().encode(), SIGNATURE_VALIDATION_FAILED,
                ValidationStep.SIGNING_REQUIREMENT);

        assertThat(rejection.detail()).contains("SAML_ONLY_ASSERTION_SIGNING");
    }

    @Test
    void signedByAnotherKeyWithItsCertificateInKeyInfoThenSignatureValidationFailed() {
        String response = valid().signAssertion(TestKeys.ATTACKER, EnvelopedSigner.Algorithm.RSA_SHA256).encode();

        SamlRejection rejection = assertRejected(response, SIGNATURE_VALIDATION_FAILED, ValidationStep.ASSERTION_SIGNATURE);

        assertThat(rejection.detail()).contains("does not verify with any configured IdP certificate");
    }

    @Test
    void responseSignedByAnotherKeyThenRefusedEvenThoughOnlyAssertionSignatureRequired() {
        String response = valid().signAssertion().signResponse(TestKeys.ATTACKER, EnvelopedSigner.Algorithm.RSA_SHA256).encode();

        assertRejected(response, SIGNATURE_VALIDATION_FAILED, ValidationStep.RESPONSE_SIGNATURE);
    }

    @Test
    void assertionChangedAfterSigningThenSignatureValidationFailed() {
        String response = valid().signAssertion().tamper(doc -> TestIdp.all(doc, SamlNamespaces.ASSERTION, "NameID")
                .getFirst().setTextContent("admin@acme.example")).encode();

        assertRejected(response, SIGNATURE_VALIDATION_FAILED, ValidationStep.ASSERTION_SIGNATURE);
    }

    @Test
    void onlyResponseSignedWhenBothRequiredThenSigningRequirementFails() {
        String response = valid().signResponse().encode();

        assertRejected(response, TestPolicies.spInitiated().signing(SigningRequirement.BOTH).build(),
                SIGNATURE_VALIDATION_FAILED, ValidationStep.SIGNING_REQUIREMENT);
    }

    @Test
    void onlyAssertionSignedWhenResponseRequiredThenSigningRequirementFails() {
        String response = valid().signAssertion().encode();

        assertRejected(response, TestPolicies.spInitiated().signing(SigningRequirement.RESPONSE).build(),
                SIGNATURE_VALIDATION_FAILED, ValidationStep.SIGNING_REQUIREMENT);
    }

    @Test
    void sha1SignatureWhenConnectionDoesNotAllowItThenSignatureValidationFailed() {
        String response = valid().signAssertion(TestKeys.IDP, EnvelopedSigner.Algorithm.RSA_SHA1).encode();

        SamlRejection rejection = assertRejected(response, SIGNATURE_VALIDATION_FAILED, ValidationStep.ASSERTION_SIGNATURE);

        assertThat(rejection.detail()).contains("rsa-sha1").contains("SHA-1 is refused");
    }

    @Test
    void sha1DigestUnderSha256SignatureWhenNotAllowedThenSignatureValidationFailed() throws Exception {
        TestIdp.TestResponse response = valid();
        Element assertion = response.assertion();
        assertion.setIdAttributeNS(null, "ID", true);
        XMLSignature signature = new XMLSignature(response.document(), "", XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256,
                Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
        assertion.insertBefore(signature.getElement(), Elements.children(assertion).get(1));
        Transforms transforms = new Transforms(response.document());
        transforms.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
        transforms.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
        signature.addDocument("#" + assertion.getAttributeNS(null, "ID"), transforms, MessageDigestAlgorithm.ALGO_ID_DIGEST_SHA1);
        signature.sign(TestKeys.IDP.privateKey());

        SamlRejection rejection = assertRejected(response.encode(), SIGNATURE_VALIDATION_FAILED, ValidationStep.ASSERTION_SIGNATURE);

        assertThat(rejection.detail()).contains("digest").contains("SHA-1 is refused");
        assertThat(validator.validate(response.encode(), TestPolicies.spInitiated().allowSha1(true).build(), NOW))
                .isInstanceOf(ValidatedAssertion.class);
    }

    @Test
    void sha1ResponseSignatureWhenNotAllowedThenRefusedAtResponseSignature() {
        String response = valid().signAssertion().signResponse(TestKeys.IDP, EnvelopedSigner.Algorithm.RSA_SHA1).encode();

        assertRejected(response, SIGNATURE_VALIDATION_FAILED, ValidationStep.RESPONSE_SIGNATURE);
    }

    @Test
    void transformOutsideTheAllowedPairThenRefusedBeforeVerification() {
        String response = valid().signAssertion().tamper(doc -> TestIdp.all(doc, SamlNamespaces.DSIG, "Transform").get(1)
                .setAttributeNS(null, "Algorithm", "http://www.w3.org/TR/1999/REC-xpath-19991116")).encode();

        SamlRejection rejection = assertRejected(response, SIGNATURE_VALIDATION_FAILED, ValidationStep.ASSERTION_SIGNATURE);

        assertThat(rejection.detail()).contains("transform");
    }

    @Test
    void canonicalizationWithCommentsThenRefused() {
        String response = valid().signAssertion().tamper(doc -> TestIdp.all(doc, SamlNamespaces.DSIG, "CanonicalizationMethod")
                .getFirst().setAttributeNS(null, "Algorithm", "http://www.w3.org/2001/10/xml-exc-c14n#WithComments")).encode();

        assertRejected(response, SIGNATURE_VALIDATION_FAILED, ValidationStep.ASSERTION_SIGNATURE);
    }

    @Test
    void signatureWithSecondReferenceThenRefused() {
        String response = valid().signAssertion().tamper(doc -> {
            Element reference = TestIdp.all(doc, SamlNamespaces.DSIG, "Reference").getFirst();
            reference.getParentNode().appendChild(reference.cloneNode(true));
        }).encode();

        SamlRejection rejection = assertRejected(response, SIGNATURE_VALIDATION_FAILED, ValidationStep.ASSERTION_SIGNATURE);

        assertThat(rejection.detail()).contains("2 References");
    }

    @Test
    void signatureCarryingDsObjectThenRefused() {
        String response = valid().signAssertion().tamper(doc -> {
            Element signature = TestIdp.all(doc, SamlNamespaces.DSIG, "Signature").getFirst();
            signature.appendChild(doc.createElementNS(SamlNamespaces.DSIG, "ds:Object"));
        }).encode();

        SamlRejection rejection = assertRejected(response, SIGNATURE_VALIDATION_FAILED, ValidationStep.ASSERTION_SIGNATURE);

        assertThat(rejection.detail()).contains("ds:Object");
    }

    // ---- XML Signature Wrapping ----

    @Test
    void xswSecondAssertionAfterTheSignedOneThenInvalidSamlResponse() {
        String response = valid().signAssertion().tamper(doc -> {
            Element signed = TestIdp.all(doc, SamlNamespaces.ASSERTION, "Assertion").getFirst();
            doc.getDocumentElement().appendChild(evilCopy(signed));
        }).encode();

        assertRejected(response, INVALID_SAML_RESPONSE, ValidationStep.ASSERTION_COUNT);
    }

    @Test
    void xswSecondAssertionBeforeTheSignedOneThenInvalidSamlResponse() {
        String response = valid().signAssertion().tamper(doc -> {
            Element signed = TestIdp.all(doc, SamlNamespaces.ASSERTION, "Assertion").getFirst();
            doc.getDocumentElement().insertBefore(evilCopy(signed), signed);
        }).encode();

        assertRejected(response, INVALID_SAML_RESPONSE, ValidationStep.ASSERTION_COUNT);
    }

    @Test
    void xswSignedAssertionWrappedInExtensionsAndEvilOneInItsPlaceThenInvalidSamlResponse() {
        String response = valid().signAssertion().tamper(doc -> {
            Element response1 = doc.getDocumentElement();
            Element signed = TestIdp.all(doc, SamlNamespaces.ASSERTION, "Assertion").getFirst();
            Element extensions = doc.createElementNS(SamlNamespaces.PROTOCOL, "samlp:Extensions");
            response1.replaceChild(evilCopy(signed), signed);
            extensions.appendChild(signed);
            response1.insertBefore(extensions, TestIdp.all(doc, SamlNamespaces.PROTOCOL, "Status").getFirst());
        }).encode();

        assertRejected(response, INVALID_SAML_RESPONSE, ValidationStep.ASSERTION_COUNT);
    }

    @Test
    void xswOnlyAssertionInsideExtensionsThenInvalidSamlResponse() {
        String response = valid().signAssertion().tamper(doc -> {
            Element signed = TestIdp.all(doc, SamlNamespaces.ASSERTION, "Assertion").getFirst();
            Element extensions = doc.createElementNS(SamlNamespaces.PROTOCOL, "samlp:Extensions");
            doc.getDocumentElement().replaceChild(extensions, signed);
            extensions.appendChild(signed);
        }).encode();

        SamlRejection rejection = assertRejected(response, INVALID_SAML_RESPONSE, ValidationStep.ASSERTION_COUNT);

        assertThat(rejection.detail()).contains("not a direct child");
    }

    @Test
    void xswSignedAssertionHiddenInDsObjectOfEvilAssertionsSignatureThenInvalidSamlResponse() {
        String response = valid().signAssertion().tamper(doc -> {
            Element signed = TestIdp.all(doc, SamlNamespaces.ASSERTION, "Assertion").getFirst();
            Element evil = evilCopy(signed);
            Element copiedSignature = (Element) signatureOf(signed).cloneNode(true);
            Element object = doc.createElementNS(SamlNamespaces.DSIG, "ds:Object");
            copiedSignature.appendChild(object);
            evil.insertBefore(copiedSignature, Elements.children(evil).get(1));
            doc.getDocumentElement().replaceChild(evil, signed);
            object.appendChild(signed);
        }).encode();

        assertRejected(response, INVALID_SAML_RESPONSE, ValidationStep.ASSERTION_COUNT);
    }

    @Test
    void xswEvilAssertionWithTheSignedOnesIdThenInvalidSamlResponse() {
        String response = valid().signAssertion().tamper(doc -> {
            Element signed = TestIdp.all(doc, SamlNamespaces.ASSERTION, "Assertion").getFirst();
            Element evil = evilCopy(signed);
            evil.setAttributeNS(null, "ID", signed.getAttributeNS(null, "ID"));
            Element extensions = doc.createElementNS(SamlNamespaces.PROTOCOL, "samlp:Extensions");
            extensions.appendChild(evil);
            doc.getDocumentElement().insertBefore(extensions, TestIdp.all(doc, SamlNamespaces.PROTOCOL, "Status").getFirst());
        }).encode();

        assertRejected(response, INVALID_SAML_RESPONSE, ValidationStep.ASSERTION_COUNT);
    }

    @Test
    void xswSignedResponseWrappedInsideEvilResponseThenInvalidSamlResponse() {
        // XSW1/2 against response signing: the genuine signed Response is tucked inside the evil one.
        TestIdp.TestResponse genuine = valid().signResponse();
        TestIdp.TestResponse evil = TestIdp.response(NOW).nameId("admin@acme.example").build();
        evil.tamper(doc -> {
            Element extensions = doc.createElementNS(SamlNamespaces.PROTOCOL, "samlp:Extensions");
            extensions.appendChild(doc.importNode(genuine.response(), true));
            doc.getDocumentElement().insertBefore(extensions, TestIdp.all(doc, SamlNamespaces.PROTOCOL, "Status").getFirst());
        });

        assertRejected(evil.encode(), TestPolicies.spInitiated().signing(SigningRequirement.RESPONSE).build(),
                INVALID_SAML_RESPONSE, ValidationStep.ASSERTION_COUNT);
    }

    @Test
    void movedSignatureFromAssertionToResponseThenSignatureValidationFailed() {
        String response = valid().signAssertion().tamper(doc -> {
            Element assertion = TestIdp.all(doc, SamlNamespaces.ASSERTION, "Assertion").getFirst();
            Element signature = signatureOf(assertion);
            assertion.removeChild(signature);
            Element response1 = doc.getDocumentElement();
            response1.insertBefore(signature, Elements.children(response1).get(1));
        }).encode();

        SamlRejection rejection = assertRejected(response, SIGNATURE_VALIDATION_FAILED, ValidationStep.RESPONSE_SIGNATURE);

        assertThat(rejection.detail()).contains("does not reference the Response");
    }

    @Test
    void signatureReferencingAnotherIdThenSignatureValidationFailed() {
        // The Response's valid signature (Reference "#<response ID>") is moved into the Assertion.
        String response = valid().signResponse().tamper(doc -> {
            Element response1 = doc.getDocumentElement();
            Element signature = signatureOf(response1);
            response1.removeChild(signature);
            Element assertion = TestIdp.all(doc, SamlNamespaces.ASSERTION, "Assertion").getFirst();
            assertion.insertBefore(signature, Elements.children(assertion).get(1));
        }).encode();

        SamlRejection rejection = assertRejected(response, SIGNATURE_VALIDATION_FAILED, ValidationStep.ASSERTION_SIGNATURE);

        assertThat(rejection.detail()).contains("does not reference the Assertion");
    }

    // ---- time ----

    @Test
    void expiredConditionsThenAssertionExpired() {
        String response = TestIdp.response(NOW).notOnOrAfter(NOW.minus(Duration.ofMinutes(3))).build().signAssertion().encode();

        assertRejected(response, ASSERTION_EXPIRED, ValidationStep.CONDITIONS_TIME);
    }

    @Test
    void expiredBearerConfirmationThenAssertionExpired() {
        String response = TestIdp.response(NOW).confirmationNotOnOrAfter(NOW.minus(Duration.ofMinutes(2)))
                .build().signAssertion().encode();

        assertRejected(response, ASSERTION_EXPIRED, ValidationStep.SUBJECT_CONFIRMATION_TIME);
    }

    @Test
    void notYetValidConditionsThenAssertionExpired() {
        String response = TestIdp.response(NOW).notBefore(NOW.plus(Duration.ofMinutes(3))).build().signAssertion().encode();

        SamlRejection rejection = assertRejected(response, ASSERTION_EXPIRED, ValidationStep.CONDITIONS_TIME);

        assertThat(rejection.detail()).contains("not valid before");
    }

    @Test
    void responseIssuedTooLongAgoThenResponseExpired() {
        String response = TestIdp.response(NOW).issueInstant(NOW.minus(Duration.ofMinutes(8))).build().signAssertion().encode();

        assertRejected(response, RESPONSE_EXPIRED, ValidationStep.RESPONSE_ISSUE_INSTANT);
    }

    @Test
    void responseIssuedInTheFutureThenResponseExpired() {
        String response = TestIdp.response(NOW).issueInstant(NOW.plus(Duration.ofMinutes(3))).build().signAssertion().encode();

        assertRejected(response, RESPONSE_EXPIRED, ValidationStep.RESPONSE_ISSUE_INSTANT);
    }

    // ---- audience, destination, recipient, issuer ----

    @Test
    void wrongAudienceThenInvalidAcsUrl() {
        String response = TestIdp.response(NOW).audience("https://other-sp.example/saml").build().signAssertion().encode();

        assertRejected(response, INVALID_ACS_URL, ValidationStep.AUDIENCE);
    }

    @Test
    void wrongDestinationThenInvalidAcsUrl() {
        String response = TestIdp.response(NOW).destination(Optional.of("https://other-sp.example/acs")).build()
                .signAssertion().encode();

        assertRejected(response, INVALID_ACS_URL, ValidationStep.DESTINATION);
    }

    @Test
    void signedResponseWithoutDestinationThenInvalidAcsUrl() {
        String response = TestIdp.response(NOW).destination(Optional.empty()).build().signResponse().encode();

        assertRejected(response, TestPolicies.spInitiated().signing(SigningRequirement.RESPONSE).build(),
                INVALID_ACS_URL, ValidationStep.DESTINATION);
    }

    @Test
    void wrongRecipientThenInvalidAcsUrl() {
        String response = TestIdp.response(NOW).recipient("https://other-sp.example/acs").build().signAssertion().encode();

        assertRejected(response, INVALID_ACS_URL, ValidationStep.RECIPIENT);
    }

    @Test
    void wrongIssuerThenInvalidSamlResponse() {
        String response = TestIdp.response(NOW).issuer("https://evil-idp.example").build().signAssertion().encode();

        assertRejected(response, INVALID_SAML_RESPONSE, ValidationStep.RESPONSE_ISSUER);
    }

    @Test
    void wrongAssertionIssuerOnlyThenInvalidSamlResponse() {
        String response = valid().tamper(doc -> TestIdp.all(doc, SamlNamespaces.ASSERTION, "Issuer").get(1)
                .setTextContent("https://evil-idp.example")).signAssertion().encode();

        assertRejected(response, INVALID_SAML_RESPONSE, ValidationStep.ASSERTION_ISSUER);
    }

    // ---- InResponseTo, IdP-initiated, replay ----

    @Test
    void wrongInResponseToThenInvalidSamlResponse() {
        String response = TestIdp.response(NOW).inResponseTo(Optional.of("id-someone-elses-request")).build()
                .signAssertion().encode();

        assertRejected(response, INVALID_SAML_RESPONSE, ValidationStep.IN_RESPONSE_TO);
    }

    @Test
    void wrongInResponseToOnlyInSignedConfirmationDataThenInvalidSamlResponse() {
        String response = valid().tamper(doc -> TestIdp.all(doc, SamlNamespaces.ASSERTION, "SubjectConfirmationData")
                .getFirst().setAttributeNS(null, "InResponseTo", "id-other")).signAssertion().encode();

        assertRejected(response, INVALID_SAML_RESPONSE, ValidationStep.IN_RESPONSE_TO);
    }

    @Test
    void unsolicitedResponseWhenRequestPendingThenInvalidSamlResponse() {
        String response = TestIdp.response(NOW).inResponseTo(Optional.empty()).build().signAssertion().encode();

        assertRejected(response, INVALID_SAML_RESPONSE, ValidationStep.IN_RESPONSE_TO);
    }

    @Test
    void responseToUnknownRequestWhenNoneIsPendingThenInvalidSamlResponse() {
        String response = valid().signAssertion().encode();
        ValidationPolicy noPendingRequest = idpInitiatedPolicy(true);

        assertRejected(response, noPendingRequest, INVALID_SAML_RESPONSE, ValidationStep.IN_RESPONSE_TO);
    }

    @Test
    void idpInitiatedWhenConnectionDisallowsItThenInvalidSamlResponse() {
        String response = TestIdp.response(NOW).inResponseTo(Optional.empty()).build().signAssertion().encode();

        assertRejected(response, idpInitiatedPolicy(false), INVALID_SAML_RESPONSE, ValidationStep.IDP_INITIATED);
    }

    private static ValidationPolicy idpInitiatedPolicy(boolean allowed) {
        return ValidationPolicy.builder(TestPolicies.ENVIRONMENT_ID, TestPolicies.CONNECTION_ID)
                .spEntityId(TestIdp.SP_ENTITY_ID).acsUrl(TestIdp.ACS_URL).idpEntityId(TestIdp.ENTITY_ID)
                .idpCertificates(IdpCertificates.of(List.of(TestKeys.IDP.certificate())))
                .signing(SigningRequirement.ASSERTION).allowIdpInitiated(allowed).build();
    }

    @Test
    void replayedAssertionThenSecondUseRefused() {
        String response = valid().signAssertion().encode();
        ValidationPolicy policy = TestPolicies.spInitiated().build();
        assertThat(validator.validate(response, policy, NOW)).isInstanceOf(ValidatedAssertion.class);

        SamlValidation second = validator.validate(response, policy, NOW.plusSeconds(5));

        assertThat(second).isEqualTo(new SamlRejection(INVALID_SAML_RESPONSE, ValidationStep.REPLAY,
                ((SamlRejection) second).detail()));
        assertThat(replayCache.uses()).hasSize(2);
    }

    // ---- status ----

    @Test
    void statusNotSuccessThenInvalidStatus() {
        String response = TestIdp.response(NOW).status("urn:oasis:names:tc:SAML:2.0:status:Responder").build().encode();

        SamlRejection rejection = assertRejected(response, INVALID_STATUS, ValidationStep.STATUS);

        assertThat(rejection.detail()).contains("Responder");
    }

    // ---- parsing, DOCTYPE, XXE, size ----

    @Test
    void doctypeWithExternalEntityThenMalformedAndNothingFetched() {
        String xml = valid().signAssertion().xml();
        String xxe = "<!DOCTYPE samlp:Response [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + xml.replace("jane.doe@acme.example</saml:NameID>", "&xxe;</saml:NameID>");

        assertRejected(TestIdp.encode(xxe), MALFORMED_SAML_RESPONSE, ValidationStep.XML_PARSE);
    }

    @Test
    void doctypeWithExternalDtdThenMalformed() {
        String xml = "<!DOCTYPE samlp:Response SYSTEM \"http://127.0.0.1:9/evil.dtd\">" + valid().signAssertion().xml();

        assertRejected(TestIdp.encode(xml), MALFORMED_SAML_RESPONSE, ValidationStep.XML_PARSE);
    }

    @Test
    void entityExpansionBombThenMalformed() {
        String bomb = "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]><r>&d;&d;&d;</r>";

        assertRejected(TestIdp.encode(bomb), MALFORMED_SAML_RESPONSE, ValidationStep.XML_PARSE);
    }

    @Test
    void responseOfOneMegabyteOrMoreThenMalformedBeforeParsing() {
        String xml = valid().signAssertion().xml();
        int limit = ValidationPolicy.DEFAULT_SIZE_LIMIT_BYTES;
        String padded = xml.replace("</samlp:Response>", " ".repeat(limit - xml.length()) + "</samlp:Response>");
        assertThat(padded.getBytes(StandardCharsets.UTF_8)).hasSize(limit);

        assertRejected(TestIdp.encode(padded), MALFORMED_SAML_RESPONSE, ValidationStep.SIZE);
    }

    @Test
    void responseOfExactlyTheLimitThenRefusedAndOneByteLessPassesTheSizeCheck() {
        byte[] xml = valid().signAssertion().xml().getBytes(StandardCharsets.UTF_8);
        String encoded = Base64.getEncoder().encodeToString(xml);

        assertRejected(encoded, TestPolicies.spInitiated().sizeLimitBytes(xml.length).build(),
                MALFORMED_SAML_RESPONSE, ValidationStep.SIZE);
        assertThat(validator.validate(encoded, TestPolicies.spInitiated().sizeLimitBytes(xml.length + 1).build(), NOW))
                .isInstanceOf(ValidatedAssertion.class);
    }

    @Test
    void hugeBase64ThenRefusedWithoutDecoding() {
        String huge = "A".repeat(5 * ValidationPolicy.DEFAULT_SIZE_LIMIT_BYTES);

        assertRejected(huge, MALFORMED_SAML_RESPONSE, ValidationStep.SIZE);
    }

    @Test
    void notBase64ThenMalformed() {
        assertRejected("%%% not base64 %%%", MALFORMED_SAML_RESPONSE, ValidationStep.BASE64);
        assertRejected("", MALFORMED_SAML_RESPONSE, ValidationStep.BASE64);
    }

    @Test
    void notXmlThenMalformed() {
        assertRejected(TestIdp.encode("this is not XML"), MALFORMED_SAML_RESPONSE, ValidationStep.XML_PARSE);
        assertRejected(TestIdp.encode(valid().xml().substring(0, 300)), MALFORMED_SAML_RESPONSE, ValidationStep.XML_PARSE);
    }

    @Test
    void otherRootElementThenMalformed() {
        assertRejected(TestIdp.encode("<samlp:AuthnRequest xmlns:samlp=\"" + SamlNamespaces.PROTOCOL + "\"/>"),
                MALFORMED_SAML_RESPONSE, ValidationStep.STRUCTURE);
        assertRejected(TestIdp.encode("<Response/>"), MALFORMED_SAML_RESPONSE, ValidationStep.STRUCTURE);
    }

    @Test
    void wrongVersionThenMalformed() {
        String response = valid().tamper(doc -> doc.getDocumentElement().setAttributeNS(null, "Version", "1.1"))
                .signAssertion().encode();

        assertRejected(response, MALFORMED_SAML_RESPONSE, ValidationStep.STRUCTURE);
    }

    // ---- encryption ----

    @Test
    void plainAssertionWhenEncryptionRequiredThenInvalidSamlResponse() {
        String response = valid().signAssertion().encode();

        assertRejected(response, TestPolicies.spInitiated().requireEncryptedAssertion(true).build(),
                INVALID_SAML_RESPONSE, ValidationStep.ENCRYPTION);
    }

    @Test
    void assertionEncryptedForAnotherSpKeyThenInvalidSamlResponse() {
        String response = valid().signAssertion().encryptAssertion(TestKeys.SP_OTHER.certificate()).encode();

        assertRejected(response, INVALID_SAML_RESPONSE, ValidationStep.DECRYPTION);
    }

    @Test
    void rsa15KeyTransportThenRefused() {
        String response = valid().signAssertion()
                .encryptAssertion(TestKeys.SP.certificate(), XMLCipher.RSA_v1dot5, XMLCipher.AES_128_GCM, true).encode();

        SamlRejection rejection = assertRejected(response, INVALID_SAML_RESPONSE, ValidationStep.DECRYPTION);

        assertThat(rejection.detail()).contains("RSA-OAEP only");
    }

    @Test
    void encryptedButUnsignedAssertionWhenAssertionSignatureRequiredThenSigningRequirementFails() {
        String response = valid().encryptAssertion(TestKeys.SP.certificate()).encode();

        assertRejected(response, SIGNATURE_VALIDATION_FAILED, ValidationStep.SIGNING_REQUIREMENT);
    }

    @Test
    void encryptedAssertionTamperedAfterSigningThenSignatureValidationFailed() {
        // An attacker can encrypt anything to the SP's public certificate; the signature inside must still hold.
        String response = valid().signAssertion().tamper(doc -> TestIdp.all(doc, SamlNamespaces.ASSERTION, "NameID")
                .getFirst().setTextContent("admin@acme.example")).encryptAssertion(TestKeys.SP.certificate()).encode();

        assertRejected(response, SIGNATURE_VALIDATION_FAILED, ValidationStep.ASSERTION_SIGNATURE);
    }

    // ---- subject and conditions ----

    @Test
    void noBearerConfirmationThenInvalidSamlResponse() {
        String response = valid().tamper(doc -> TestIdp.all(doc, SamlNamespaces.ASSERTION, "SubjectConfirmation")
                .getFirst().setAttributeNS(null, "Method", "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"))
                .signAssertion().encode();

        assertRejected(response, INVALID_SAML_RESPONSE, ValidationStep.SUBJECT_CONFIRMATION);
    }

    @Test
    void unknownConditionThenInvalidSamlResponse() {
        String response = valid().tamper(doc -> {
            Element conditions = TestIdp.all(doc, SamlNamespaces.ASSERTION, "Conditions").getFirst();
            conditions.appendChild(doc.createElementNS(SamlNamespaces.ASSERTION, "saml:Condition"));
        }).signAssertion().encode();

        assertRejected(response, INVALID_SAML_RESPONSE, ValidationStep.CONDITIONS);
    }

    @Test
    void nameIdWithChildElementThenMalformed() {
        String response = valid().tamper(doc -> {
            Element nameId = TestIdp.all(doc, SamlNamespaces.ASSERTION, "NameID").getFirst();
            nameId.appendChild(doc.createElementNS(SamlNamespaces.ASSERTION, "saml:Issuer"));
        }).signAssertion().encode();

        assertRejected(response, MALFORMED_SAML_RESPONSE, ValidationStep.SUBJECT);
    }

}
