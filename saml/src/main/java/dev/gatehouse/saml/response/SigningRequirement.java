package dev.gatehouse.saml.response;

import java.util.Arrays;

/**
 * Which element of a SAML response must carry a valid signature: the seed's {@code saml_signing_option}
 * (shared/spec/spec-sso.md §3.5, R-SSO-52). A signature that is present is always verified, required or not.
 */
public enum SigningRequirement {
    /** {@code NO_SIGNING}: nothing has to be signed (present signatures must still verify). */
    NONE("NO_SIGNING"),
    /** {@code SAML_ONLY_RESPONSE_SIGNING}: the Response must be signed. */
    RESPONSE("SAML_ONLY_RESPONSE_SIGNING"),
    /** {@code SAML_ONLY_ASSERTION_SIGNING}: the Assertion must be signed. */
    ASSERTION("SAML_ONLY_ASSERTION_SIGNING"),
    /** {@code SAML_RESPONSE_ASSERTION_SIGNING}: both must be signed. */
    BOTH("SAML_RESPONSE_ASSERTION_SIGNING"),
    /** {@code SAML_RESPONSE_OR_ASSERTION_SIGNING}: at least one of them must be signed. */
    EITHER("SAML_RESPONSE_OR_ASSERTION_SIGNING");

    /** The oldest swagger's "unspecified" value; read as {@link #EITHER} (docs/DECISIONS.md D-SAML1). */
    public static final String UNSPECIFIED = "SAML_SIGNING_OPTIONS_UNSPECIFIED";

    private final String seedName;

    SigningRequirement(String seedName) {
        this.seedName = seedName;
    }

    /** The value of {@code saml_signing_option} in the API. */
    public String seedName() {
        return seedName;
    }

    /** The requirement of an API value; the unspecified value (or an empty one) means {@link #EITHER}. */
    public static SigningRequirement fromSeedName(String value) {
        if (value == null || value.isEmpty() || UNSPECIFIED.equals(value)) {
            return EITHER;
        }
        return Arrays.stream(values()).filter(r -> r.seedName.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown saml_signing_option " + value));
    }

    /** Whether verified signatures on the Response and on the Assertion are enough. */
    public boolean isSatisfiedBy(boolean responseSigned, boolean assertionSigned) {
        return switch (this) {
            case NONE -> true;
            case RESPONSE -> responseSigned;
            case ASSERTION -> assertionSigned;
            case BOTH -> responseSigned && assertionSigned;
            case EITHER -> responseSigned || assertionSigned;
        };
    }
}
