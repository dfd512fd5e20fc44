package dev.gatehouse.oauth.federation;

/**
 * A refused step of a federated sign-in: {@code errorCode} is the seed's code for the app (spec-sso §1.5),
 * {@code reason} is for the admin's audit trail only (never shown to the user, never holds tokens).
 */
public final class FederationFailure extends Exception {
    private final String errorCode;
    private final String description;

    public FederationFailure(String errorCode, String description, String reason) {
        super(reason, null, false, false);
        this.errorCode = errorCode;
        this.description = description;
    }

    public String errorCode() {
        return errorCode;
    }

    public String description() {
        return description;
    }

    public String reason() {
        return getMessage();
    }
}
