package dev.gatehouse.saml.response;

/** Carries a {@link SamlRejection} out of the validation steps; no stack trace (it is an expected outcome). */
final class Rejected extends Exception {
    private final SamlRejection rejection;

    Rejected(SamlErrorCode code, ValidationStep step, String detail) {
        super(detail, null, false, false);
        this.rejection = new SamlRejection(code, step, detail);
    }

    SamlRejection rejection() {
        return rejection;
    }
}
