package dev.gatehouse.saml.response;

import static dev.gatehouse.saml.response.SamlErrorCode.ASSERTION_EXPIRED;
import static dev.gatehouse.saml.response.SamlErrorCode.INVALID_ACS_URL;
import static dev.gatehouse.saml.response.SamlErrorCode.INVALID_SAML_RESPONSE;
import static dev.gatehouse.saml.response.SamlErrorCode.INVALID_STATUS;
import static dev.gatehouse.saml.response.SamlErrorCode.MALFORMED_SAML_RESPONSE;
import static dev.gatehouse.saml.response.SamlErrorCode.RESPONSE_EXPIRED;
import static dev.gatehouse.saml.response.SamlErrorCode.SIGNATURE_VALIDATION_FAILED;

import dev.gatehouse.core.sso.AssertionReplayCache;
import dev.gatehouse.saml.xml.Elements;
import dev.gatehouse.saml.xml.Elements.DuplicateElementException;
import dev.gatehouse.saml.xml.MalformedXmlException;
import dev.gatehouse.saml.xml.SamlNamespaces;
import dev.gatehouse.saml.xml.SecureXml;
import java.security.Provider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Strict validation of a SAML 2.0 Web Browser SSO response (HTTP-POST binding) for one connection.
 *
 * <p>Order of the checks (each refusal names its {@link ValidationStep}): size before decoding and parsing;
 * base64; hardened parse (no DOCTYPE); structure; StatusCode; Response Issuer; Destination; exactly one
 * Assertion or EncryptedAssertion in the whole document, as a child of the Response; Response signature;
 * Response age; decryption; Assertion signature; the connection's signing requirement; then, reading only
 * the assertion element that was verified (directly, or as part of the verified Response): Issuer, Subject,
 * bearer SubjectConfirmation (Recipient, times), Conditions (times, Audience), AuthnStatement, InResponseTo
 * or IdP-initiated, and last the replay cache, so that only an otherwise valid assertion uses up its ID.
 *
 * <p>Thread-safe; one instance serves every connection. It calls {@link AssertionReplayCache#firstUse}
 * itself (scoped by the policy's environment and connection), so a caller cannot forget the replay check.
 * It writes no audit record: the caller does, from {@link SamlRejection#auditRecord}.
 */
public final class SamlResponseValidator {
    /** IDs longer than this are refused (the replay cache stores them). */
    static final int MAX_ID_LENGTH = 256;

    private final AssertionReplayCache replayCache;
    private final Optional<Provider> rsaSha256;

    public SamlResponseValidator(AssertionReplayCache replayCache) {
        this(replayCache, Optional.empty());
    }

    /**
     * With {@code rsaSha256}, a JCA provider of {@code Signature} {@code SHA256withRSA} (verification), used for
     * RSA-SHA256 signature values instead of the JDK's (the app passes OpenSSL's, docs/DECISIONS.md D-AC5); every
     * other algorithm, and all digests and canonicalization, stay with Santuario and the JDK.
     */
    public SamlResponseValidator(AssertionReplayCache replayCache, Optional<Provider> rsaSha256) {
        this.replayCache = Objects.requireNonNull(replayCache);
        this.rsaSha256 = Objects.requireNonNull(rsaSha256);
    }

    /** Validates the {@code SAMLResponse} form value (base64 of the XML) against {@code policy} at time {@code now}. */
    public SamlValidation validate(String base64Response, ValidationPolicy policy, Instant now) {
        try {
            return new Run(policy, now).validate(decode(base64Response, policy.sizeLimitBytes()));
        } catch (Rejected rejected) {
            return rejected.rejection();
        }
    }

    static byte[] decode(String base64Response, int sizeLimitBytes) throws Rejected {
        if (base64Response == null || base64Response.isEmpty()) {
            throw new Rejected(MALFORMED_SAML_RESPONSE, ValidationStep.BASE64, "SAMLResponse is empty");
        }
        long maxEncoded = ((long) sizeLimitBytes + 2) / 3 * 4;
        if (base64Response.length() > 2 * maxEncoded) {
            throw tooLarge(sizeLimitBytes);
        }
        String compact = withoutLineBreaks(base64Response);
        if (compact.length() > maxEncoded) {
            throw tooLarge(sizeLimitBytes);
        }
        byte[] xml;
        try {
            xml = Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new Rejected(MALFORMED_SAML_RESPONSE, ValidationStep.BASE64, "SAMLResponse is not base64");
        }
        if (xml.length >= sizeLimitBytes) {
            throw tooLarge(sizeLimitBytes);
        }
        return xml;
    }

    /** The value without CR, LF, space and tab (IdPs wrap base64); the same string when it has none (the usual case). */
    private static String withoutLineBreaks(String value) {
        int first = 0;
        while (first < value.length() && !isBreak(value.charAt(first))) {
            first++;
        }
        if (first == value.length()) {
            return value;
        }
        StringBuilder compact = new StringBuilder(value.length()).append(value, 0, first);
        for (int i = first + 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isBreak(c)) {
                compact.append(c);
            }
        }
        return compact.toString();
    }

    private static boolean isBreak(char c) {
        return c == '\r' || c == '\n' || c == ' ' || c == '\t';
    }

    private static Rejected tooLarge(int sizeLimitBytes) {
        return new Rejected(MALFORMED_SAML_RESPONSE, ValidationStep.SIZE,
                "SAMLResponse is " + sizeLimitBytes + " bytes or more once decoded");
    }

    /** One validation: the policy, the time, and what has been established so far. */
    private final class Run {
        private final ValidationPolicy policy;
        private final Instant now;

        Run(ValidationPolicy policy, Instant now) {
            this.policy = policy;
            this.now = now;
        }

        ValidatedAssertion validate(byte[] xml) throws Rejected {
            Document document;
            try {
                document = SecureXml.parse(xml);
            } catch (MalformedXmlException e) {
                throw new Rejected(MALFORMED_SAML_RESPONSE, ValidationStep.XML_PARSE,
                        "SAMLResponse is not well-formed XML or has a DOCTYPE: " + e.getMessage());
            }
            try {
                return validate(document);
            } catch (DuplicateElementException e) {
                throw new Rejected(MALFORMED_SAML_RESPONSE, ValidationStep.STRUCTURE, e.getMessage());
            }
        }

        private ValidatedAssertion validate(Document document) throws Rejected, DuplicateElementException {
            Element response = document.getDocumentElement();
            if (!Elements.is(response, SamlNamespaces.PROTOCOL, "Response")) {
                throw new Rejected(MALFORMED_SAML_RESPONSE, ValidationStep.STRUCTURE, "the root element is not samlp:Response");
            }
            checkVersion(response);
            String responseId = id(response);
            Instant issueInstant = SamlTime.required(response, "IssueInstant", ValidationStep.STRUCTURE);
            checkStatus(response);
            Optional<Element> responseIssuer = Elements.optionalChild(response, SamlNamespaces.ASSERTION, "Issuer");
            if (responseIssuer.isPresent()) {
                checkIssuer(responseIssuer.get(), ValidationStep.RESPONSE_ISSUER);
            }
            List<Element> responseSignatures = Elements.children(response, SamlNamespaces.DSIG, "Signature");
            checkDestination(response, !responseSignatures.isEmpty());
            Element container = theOnlyAssertion(document, response);

            response.setIdAttributeNS(null, "ID", true);
            boolean responseSigned = verifyIfSigned(response, responseSignatures, ValidationStep.RESPONSE_SIGNATURE);
            checkResponseAge(issueInstant);

            boolean encrypted = Elements.is(container, SamlNamespaces.ASSERTION, "EncryptedAssertion");
            if (!encrypted && policy.requireEncryptedAssertion()) {
                throw new Rejected(INVALID_SAML_RESPONSE, ValidationStep.ENCRYPTION,
                        "the connection requires an encrypted assertion and the assertion is in clear");
            }
            Element assertion = encrypted ? AssertionDecrypter.decrypt(container, policy.decryptionKeys()) : container;
            checkVersion(assertion);
            String assertionId = id(assertion);
            if (assertionId.equals(responseId)) {
                throw new Rejected(MALFORMED_SAML_RESPONSE, ValidationStep.STRUCTURE, "the Response and the Assertion share an ID");
            }
            assertion.setIdAttributeNS(null, "ID", true);
            boolean assertionSigned = verifyIfSigned(assertion,
                    Elements.children(assertion, SamlNamespaces.DSIG, "Signature"), ValidationStep.ASSERTION_SIGNATURE);
            if (!policy.signing().isSatisfiedBy(responseSigned, assertionSigned)) {
                throw new Rejected(SIGNATURE_VALIDATION_FAILED, ValidationStep.SIGNING_REQUIREMENT,
                        "the connection requires " + policy.signing().seedName() + "; signed: response=" + responseSigned
                                + ", assertion=" + assertionSigned);
            }
            return readVerifiedAssertion(response, assertion, assertionId, responseSigned, assertionSigned, encrypted);
        }

        /** From here on only {@code assertion} (verified, or inside the verified Response) is read. */
        private ValidatedAssertion readVerifiedAssertion(Element response, Element assertion, String assertionId,
                                                         boolean responseSigned, boolean assertionSigned, boolean encrypted)
                throws Rejected, DuplicateElementException {
            Element issuer = Elements.optionalChild(assertion, SamlNamespaces.ASSERTION, "Issuer").orElseThrow(() ->
                    new Rejected(MALFORMED_SAML_RESPONSE, ValidationStep.ASSERTION_ISSUER, "the Assertion has no Issuer"));
            checkIssuer(issuer, ValidationStep.ASSERTION_ISSUER);

            Element subject = Elements.optionalChild(assertion, SamlNamespaces.ASSERTION, "Subject").orElseThrow(() ->
                    new Rejected(INVALID_SAML_RESPONSE, ValidationStep.SUBJECT, "the Assertion has no Subject"));
            NameId nameId = nameId(subject);
            BearerConfirmation bearer = bearerConfirmation(subject);
            Optional<Instant> conditionsEnd = checkConditions(assertion);
            Element authnStatement = authnStatement(assertion);
            Optional<String> inResponseTo = checkInResponseTo(response, bearer);

            Instant expiresAt = conditionsEnd.filter(end -> end.isBefore(bearer.notOnOrAfter())).orElse(bearer.notOnOrAfter());
            if (!replayCache.firstUse(policy.environmentId(), policy.connectionId(), assertionId,
                    expiresAt.plus(policy.clockSkew()))) {
                throw new Rejected(INVALID_SAML_RESPONSE, ValidationStep.REPLAY, "assertion " + assertionId + " was already used");
            }
            return new ValidatedAssertion(assertionId, text(issuer), nameId,
                    Elements.attribute(authnStatement, "SessionIndex"),
                    SamlTime.optional(authnStatement, "AuthnInstant", ValidationStep.AUTHN_STATEMENT),
                    attributes(assertion), inResponseTo, expiresAt, responseSigned, assertionSigned, encrypted);
        }

        private void checkVersion(Element element) throws Rejected {
            if (!"2.0".equals(element.getAttributeNS(null, "Version"))) {
                throw new Rejected(MALFORMED_SAML_RESPONSE, ValidationStep.STRUCTURE,
                        element.getLocalName() + " is not SAML Version 2.0");
            }
        }

        private String id(Element element) throws Rejected {
            String id = element.getAttributeNS(null, "ID");
            if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
                throw new Rejected(MALFORMED_SAML_RESPONSE, ValidationStep.STRUCTURE,
                        element.getLocalName() + " has no ID or one longer than " + MAX_ID_LENGTH + " characters");
            }
            return id;
        }

        private void checkStatus(Element response) throws Rejected, DuplicateElementException {
            Element status = Elements.optionalChild(response, SamlNamespaces.PROTOCOL, "Status").orElseThrow(() ->
                    new Rejected(MALFORMED_SAML_RESPONSE, ValidationStep.STATUS, "the Response has no Status"));
            Element code = Elements.optionalChild(status, SamlNamespaces.PROTOCOL, "StatusCode").orElseThrow(() ->
                    new Rejected(MALFORMED_SAML_RESPONSE, ValidationStep.STATUS, "the Status has no StatusCode"));
            String value = code.getAttributeNS(null, "Value");
            if (!SamlNamespaces.STATUS_SUCCESS.equals(value)) {
                StringBuilder detail = new StringBuilder("StatusCode is ").append(value);
                for (Element second : Elements.children(code, SamlNamespaces.PROTOCOL, "StatusCode")) {
                    detail.append(" / ").append(second.getAttributeNS(null, "Value"));
                }
                throw new Rejected(INVALID_STATUS, ValidationStep.STATUS, detail.toString());
            }
        }

        private void checkIssuer(Element issuer, ValidationStep step) throws Rejected {
            Optional<String> format = Elements.attribute(issuer, "Format");
            if (format.isPresent() && !SamlNamespaces.ENTITY_FORMAT.equals(format.get())) {
                throw new Rejected(INVALID_SAML_RESPONSE, step, issuer.getParentNode().getLocalName()
                        + " Issuer has Format " + format.get() + " instead of entity");
            }
            if (!policy.idpEntityId().equals(text(issuer))) {
                throw new Rejected(INVALID_SAML_RESPONSE, step, issuer.getParentNode().getLocalName()
                        + " Issuer is not the connection's IdP entity ID " + policy.idpEntityId());
            }
        }

        private void checkDestination(Element response, boolean signed) throws Rejected {
            Optional<String> destination = Elements.attribute(response, "Destination");
            if (destination.isEmpty()) {
                if (signed) {
                    throw new Rejected(INVALID_ACS_URL, ValidationStep.DESTINATION,
                            "a signed Response must carry Destination (SAML bindings §3.5.5.2)");
                }
                return;
            }
            if (!policy.acsUrl().equals(destination.get())) {
                throw new Rejected(INVALID_ACS_URL, ValidationStep.DESTINATION,
                        "Destination is not the connection's ACS URL " + policy.acsUrl());
            }
        }

        /** Exactly one Assertion or EncryptedAssertion anywhere in the document, and it is a child of the Response. */
        private Element theOnlyAssertion(Document document, Element response) throws Rejected {
            NodeList plainList = document.getElementsByTagNameNS(SamlNamespaces.ASSERTION, "Assertion");
            NodeList encryptedList = document.getElementsByTagNameNS(SamlNamespaces.ASSERTION, "EncryptedAssertion");
            int plain = plainList.getLength();
            int encrypted = encryptedList.getLength();
            if (plain + encrypted != 1) {
                throw new Rejected(INVALID_SAML_RESPONSE, ValidationStep.ASSERTION_COUNT,
                        "the Response holds " + plain + " Assertion and " + encrypted
                                + " EncryptedAssertion elements; exactly one is accepted");
            }
            Element container = (Element) (plain == 1 ? plainList.item(0) : encryptedList.item(0));
            if (container.getParentNode() != response) {
                throw new Rejected(INVALID_SAML_RESPONSE, ValidationStep.ASSERTION_COUNT,
                        "the assertion is not a direct child of the Response");
            }
            return container;
        }

        private boolean verifyIfSigned(Element element, List<Element> signatures, ValidationStep step) throws Rejected {
            if (signatures.size() > 1) {
                throw new Rejected(SIGNATURE_VALIDATION_FAILED, step, element.getLocalName() + " has several signatures");
            }
            if (signatures.isEmpty()) {
                return false;
            }
            SignatureVerifier.verify(element, signatures.getFirst(), policy.idpCertificates(), policy.allowSha1(),
                    rsaSha256, step);
            return true;
        }

        private void checkResponseAge(Instant issueInstant) throws Rejected {
            if (issueInstant.isAfter(now.plus(policy.clockSkew()))) {
                throw new Rejected(RESPONSE_EXPIRED, ValidationStep.RESPONSE_ISSUE_INSTANT,
                        "the Response was issued in the future (" + issueInstant + "); check the IdP's clock");
            }
            if (!issueInstant.plus(policy.maxResponseAge()).plus(policy.clockSkew()).isAfter(now)) {
                throw new Rejected(RESPONSE_EXPIRED, ValidationStep.RESPONSE_ISSUE_INSTANT,
                        "the Response was issued at " + issueInstant + ", more than " + policy.maxResponseAge() + " ago");
            }
        }

        private NameId nameId(Element subject) throws Rejected, DuplicateElementException {
            if (!Elements.children(subject, SamlNamespaces.ASSERTION, "EncryptedID").isEmpty()) {
                throw new Rejected(INVALID_SAML_RESPONSE, ValidationStep.SUBJECT, "an encrypted NameID is not supported");
            }
            Element nameId = Elements.optionalChild(subject, SamlNamespaces.ASSERTION, "NameID").orElseThrow(() ->
                    new Rejected(INVALID_SAML_RESPONSE, ValidationStep.SUBJECT, "the Subject has no NameID"));
            if (!Elements.children(nameId).isEmpty()) {
                throw new Rejected(MALFORMED_SAML_RESPONSE, ValidationStep.SUBJECT, "the NameID contains elements");
            }
            String value = text(nameId);
            if (value.isEmpty()) {
                throw new Rejected(INVALID_SAML_RESPONSE, ValidationStep.SUBJECT, "the NameID is empty");
            }
            return new NameId(value, Elements.attribute(nameId, "Format"));
        }

        private record BearerConfirmation(Instant notOnOrAfter, Optional<String> inResponseTo) {}

        /**
         * The first bearer SubjectConfirmation whose data has this ACS as Recipient and is valid now; when none
         * is, the refusal of the first one.
         */
        private BearerConfirmation bearerConfirmation(Element subject) throws Rejected, DuplicateElementException {
            Rejected first = null;
            for (Element confirmation : Elements.children(subject, SamlNamespaces.ASSERTION, "SubjectConfirmation")) {
                if (!SamlNamespaces.BEARER.equals(confirmation.getAttributeNS(null, "Method"))) {
                    continue;
                }
                try {
                    return checkBearer(confirmation);
                } catch (Rejected rejected) {
                    first = first == null ? rejected : first;
                }
            }
            if (first != null) {
                throw first;
            }
            throw new Rejected(INVALID_SAML_RESPONSE, ValidationStep.SUBJECT_CONFIRMATION,
                    "the Subject has no bearer SubjectConfirmation");
        }

        private BearerConfirmation checkBearer(Element confirmation) throws Rejected, DuplicateElementException {
            Element data = Elements.optionalChild(confirmation, SamlNamespaces.ASSERTION, "SubjectConfirmationData")
                    .orElseThrow(() -> new Rejected(INVALID_SAML_RESPONSE, ValidationStep.SUBJECT_CONFIRMATION,
                            "the bearer SubjectConfirmation has no SubjectConfirmationData"));
            Optional<String> recipient = Elements.attribute(data, "Recipient");
            if (recipient.isEmpty() || !policy.acsUrl().equals(recipient.get())) {
                throw new Rejected(INVALID_ACS_URL, ValidationStep.RECIPIENT,
                        "the bearer Recipient is not the connection's ACS URL " + policy.acsUrl());
            }
            Instant notOnOrAfter = SamlTime.optional(data, "NotOnOrAfter", ValidationStep.SUBJECT_CONFIRMATION_TIME)
                    .orElseThrow(() -> new Rejected(INVALID_SAML_RESPONSE, ValidationStep.SUBJECT_CONFIRMATION_TIME,
                            "the bearer SubjectConfirmationData has no NotOnOrAfter"));
            if (!now.isBefore(notOnOrAfter.plus(policy.clockSkew()))) {
                throw new Rejected(ASSERTION_EXPIRED, ValidationStep.SUBJECT_CONFIRMATION_TIME,
                        "the bearer confirmation expired at " + notOnOrAfter);
            }
            Optional<Instant> notBefore = SamlTime.optional(data, "NotBefore", ValidationStep.SUBJECT_CONFIRMATION_TIME);
            if (notBefore.isPresent() && now.isBefore(notBefore.get().minus(policy.clockSkew()))) {
                throw new Rejected(ASSERTION_EXPIRED, ValidationStep.SUBJECT_CONFIRMATION_TIME,
                        "the bearer confirmation is not valid before " + notBefore.get());
            }
            return new BearerConfirmation(notOnOrAfter, Elements.attribute(data, "InResponseTo"));
        }

        /** Checks the Conditions' times and audiences; returns their NotOnOrAfter. */
        private Optional<Instant> checkConditions(Element assertion) throws Rejected, DuplicateElementException {
            Element conditions = Elements.optionalChild(assertion, SamlNamespaces.ASSERTION, "Conditions").orElseThrow(() ->
                    new Rejected(INVALID_ACS_URL, ValidationStep.AUDIENCE, "the Assertion has no Conditions (no Audience)"));
            Optional<Instant> notBefore = SamlTime.optional(conditions, "NotBefore", ValidationStep.CONDITIONS_TIME);
            if (notBefore.isPresent() && now.isBefore(notBefore.get().minus(policy.clockSkew()))) {
                throw new Rejected(ASSERTION_EXPIRED, ValidationStep.CONDITIONS_TIME,
                        "the assertion is not valid before " + notBefore.get() + "; check the IdP's clock");
            }
            Optional<Instant> notOnOrAfter = SamlTime.optional(conditions, "NotOnOrAfter", ValidationStep.CONDITIONS_TIME);
            if (notOnOrAfter.isPresent() && !now.isBefore(notOnOrAfter.get().plus(policy.clockSkew()))) {
                throw new Rejected(ASSERTION_EXPIRED, ValidationStep.CONDITIONS_TIME,
                        "the assertion expired at " + notOnOrAfter.get());
            }
            int restrictions = 0;
            for (Element condition : Elements.children(conditions)) {
                if (Elements.is(condition, SamlNamespaces.ASSERTION, "AudienceRestriction")) {
                    restrictions++;
                    boolean ours = false;
                    for (Element audience : Elements.children(condition, SamlNamespaces.ASSERTION, "Audience")) {
                        ours |= policy.spEntityId().equals(text(audience));
                    }
                    if (!ours) {
                        throw new Rejected(INVALID_ACS_URL, ValidationStep.AUDIENCE,
                                "an AudienceRestriction does not name the SP entity ID " + policy.spEntityId());
                    }
                } else if (!Elements.is(condition, SamlNamespaces.ASSERTION, "OneTimeUse")
                        && !Elements.is(condition, SamlNamespaces.ASSERTION, "ProxyRestriction")) {
                    throw new Rejected(INVALID_SAML_RESPONSE, ValidationStep.CONDITIONS,
                            "unknown condition " + condition.getLocalName());
                }
            }
            if (restrictions == 0) {
                throw new Rejected(INVALID_ACS_URL, ValidationStep.AUDIENCE, "the Assertion has no AudienceRestriction");
            }
            return notOnOrAfter;
        }

        private Element authnStatement(Element assertion) throws Rejected {
            List<Element> statements = Elements.children(assertion, SamlNamespaces.ASSERTION, "AuthnStatement");
            if (statements.isEmpty()) {
                throw new Rejected(INVALID_SAML_RESPONSE, ValidationStep.AUTHN_STATEMENT, "the Assertion has no AuthnStatement");
            }
            return statements.getFirst();
        }

        /**
         * With a pending request, both the Response's and the bearer data's InResponseTo must name it. Without
         * one, neither may be present, and the connection must allow IdP-initiated login.
         */
        private Optional<String> checkInResponseTo(Element response, BearerConfirmation bearer) throws Rejected {
            Optional<String> responseInResponseTo = Elements.attribute(response, "InResponseTo");
            Optional<String> expected = policy.expectedInResponseTo();
            if (expected.isPresent()) {
                if (!responseInResponseTo.equals(expected)) {
                    throw new Rejected(INVALID_SAML_RESPONSE, ValidationStep.IN_RESPONSE_TO,
                            "the Response's InResponseTo does not name the pending AuthnRequest");
                }
                if (bearer.inResponseTo().isPresent() && !bearer.inResponseTo().equals(expected)) {
                    throw new Rejected(INVALID_SAML_RESPONSE, ValidationStep.IN_RESPONSE_TO,
                            "the bearer confirmation's InResponseTo does not name the pending AuthnRequest");
                }
                return expected;
            }
            if (responseInResponseTo.isPresent() || bearer.inResponseTo().isPresent()) {
                throw new Rejected(INVALID_SAML_RESPONSE, ValidationStep.IN_RESPONSE_TO,
                        "the response answers an AuthnRequest this browser has no record of (expired or another session)");
            }
            if (!policy.allowIdpInitiated()) {
                throw new Rejected(INVALID_SAML_RESPONSE, ValidationStep.IDP_INITIATED,
                        "IdP-initiated login is not allowed for this connection");
            }
            return Optional.empty();
        }

        private List<SamlAttribute> attributes(Element assertion) {
            List<SamlAttribute> attributes = new ArrayList<>();
            for (Element statement : Elements.children(assertion, SamlNamespaces.ASSERTION, "AttributeStatement")) {
                for (Element attribute : Elements.children(statement, SamlNamespaces.ASSERTION, "Attribute")) {
                    List<String> values = new ArrayList<>();
                    for (Element value : Elements.children(attribute, SamlNamespaces.ASSERTION, "AttributeValue")) {
                        if (!"true".equals(value.getAttributeNS(SamlNamespaces.XSI, "nil"))) {
                            values.add(text(value));
                        }
                    }
                    attributes.add(new SamlAttribute(attribute.getAttributeNS(null, "Name"),
                            Elements.attribute(attribute, "FriendlyName"), Elements.attribute(attribute, "NameFormat"), values));
                }
            }
            return attributes;
        }
    }

    /** The full text content (every text node, comments skipped), without surrounding whitespace. */
    private static String text(Node node) {
        return node.getTextContent().strip();
    }
}
