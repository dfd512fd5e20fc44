package dev.gatehouse.saml.response;

import java.util.Locale;

/** The check that refused a response, in the order the validator runs them; recorded in the audit trail. */
public enum ValidationStep {
    SIZE,
    BASE64,
    XML_PARSE,
    STRUCTURE,
    STATUS,
    RESPONSE_ISSUER,
    DESTINATION,
    ASSERTION_COUNT,
    RESPONSE_SIGNATURE,
    RESPONSE_ISSUE_INSTANT,
    ENCRYPTION,
    DECRYPTION,
    ASSERTION_SIGNATURE,
    SIGNING_REQUIREMENT,
    ASSERTION_ISSUER,
    SUBJECT,
    SUBJECT_CONFIRMATION,
    RECIPIENT,
    SUBJECT_CONFIRMATION_TIME,
    CONDITIONS,
    CONDITIONS_TIME,
    AUDIENCE,
    AUTHN_STATEMENT,
    IN_RESPONSE_TO,
    IDP_INITIATED,
    REPLAY;

    /** The step's name in audit records, e.g. {@code response_signature}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
