package dev.gatehouse.oauth.federation;

/**
 * A refused step of a federated sign-in: {@code errorCode} is the seed's code for the app (spec-sso §1.5),
 * {@code reason} is for the admin's audit trail only (never shown to the user, never holds tokens), {@code step} the
 * validation step that failed ({@code token_exchange}, {@code id_token_signature}, {@code issuer}, {@code audience},
 * {@code nonce}, {@code expiry}, {@code userinfo}, ...), recorded as the audit record's {@code step} attribute.
 */
public final class FederationFailure extends Exception {
    private final String errorCode;
    private final String description;
    private final String step;

    public FederationFailure(String errorCode, String description, String reason, String step) {
        super(reason, null, false, false);
        this.errorCode = errorCode;
        this.description = description;
        this.step = step;
    }

    /** A failure whose step is the one the seed's code names ({@link #stepOf}). */
    public FederationFailure(String errorCode, String description, String reason) {
        this(errorCode, description, reason, stepOf(errorCode));
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

    public String step() {
        return step;
    }

    /** The step a seed code stands for when nothing finer is known. */
    static String stepOf(String errorCode) {
        return switch (errorCode) {
            case "failed_to_exchange_token" -> "token_exchange";
            case "invalid_id_token" -> "id_token";
            case "user_info_retrieve_failed" -> "userinfo";
            case "connection_not_active" -> "connection";
            case "mandatory_attribute_missing" -> "attribute_mapping";
            case "access_denied" -> "provider_error";
            default -> "callback";
        };
    }
}
