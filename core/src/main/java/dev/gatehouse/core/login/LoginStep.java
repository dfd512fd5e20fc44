package dev.gatehouse.core.login;

/**
 * Where a hosted-login attempt is. Transitions: AWAITING_EMAIL → AWAITING_CODE (a code or link was sent)
 * → AWAITING_ORGANIZATION (the user belongs to several organizations, or must create one) → DONE; a verified
 * user with one organization goes from AWAITING_CODE straight to DONE. A sign-in through an identity provider
 * (enterprise connection or social) waits in AWAITING_IDP, from the start or after the email step routed by
 * domain, and goes on like a proven code. DONE is final: a code (or an error) went back to the app.
 */
public enum LoginStep {
    AWAITING_EMAIL, AWAITING_CODE, AWAITING_IDP, AWAITING_ORGANIZATION, DONE;

    public boolean canMoveTo(LoginStep next) {
        return switch (this) {
            case AWAITING_EMAIL -> next == AWAITING_CODE || next == AWAITING_IDP;
            case AWAITING_CODE -> next == AWAITING_CODE || next == AWAITING_EMAIL || next == AWAITING_ORGANIZATION
                    || next == DONE;
            case AWAITING_IDP -> next == AWAITING_ORGANIZATION || next == DONE;
            case AWAITING_ORGANIZATION -> next == DONE;
            case DONE -> false;
        };
    }
}
