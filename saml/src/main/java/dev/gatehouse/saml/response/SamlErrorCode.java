package dev.gatehouse.saml.response;

/**
 * The seed's SAML error codes (shared/spec/spec-sso.md §1.5), as sent to the app in {@code error=}. Which
 * check yields which code is in docs/DECISIONS.md D-SAML2.
 */
public enum SamlErrorCode {
    /** Base64 or XML that cannot be read, a DOCTYPE, a wrong root element, or a response over the size limit. */
    MALFORMED_SAML_RESPONSE("malformed_saml_response"),
    /** A required signature is missing, does not verify with a configured certificate, or uses a refused algorithm. */
    SIGNATURE_VALIDATION_FAILED("signature_validation_failed"),
    /** The top-level StatusCode is not Success. */
    INVALID_STATUS("invalid_status"),
    /** Destination, Recipient or Audience is not this connection's ACS URL / SP entity ID. */
    INVALID_ACS_URL("invalid_acs_url"),
    /** The assertion is past NotOnOrAfter, or not yet valid (NotBefore), beyond the clock skew. */
    ASSERTION_EXPIRED("assertion_expired"),
    /** The Response's IssueInstant is older than the maximum response age, or in the future, beyond the skew. */
    RESPONSE_EXPIRED("response_expired"),
    /** Every other refusal: issuer, assertion count, InResponseTo, IdP-initiated, replay, decryption, subject. */
    INVALID_SAML_RESPONSE("invalid_saml_response");

    private final String wire;

    SamlErrorCode(String wire) {
        this.wire = wire;
    }

    /** The value of {@code error=} on the redirect to the app. */
    public String wire() {
        return wire;
    }
}
