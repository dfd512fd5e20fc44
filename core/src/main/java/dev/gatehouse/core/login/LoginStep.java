package dev.gatehouse.core.login;

/**
 * Where a hosted-login attempt is. Transitions: AWAITING_EMAIL → AWAITING_CODE (a code or link was sent)
 * → AWAITING_ORGANIZATION (the user belongs to several organizations, or must create one) → DONE; a verified
 * user with one organization goes from AWAITING_CODE straight to DONE. DONE is final: a code was issued.
 */
public enum LoginStep {
    AWAITING_EMAIL, AWAITING_CODE, AWAITING_ORGANIZATION, DONE;

    public boolean canMoveTo(LoginStep next) {
        return switch (this) {
            case AWAITING_EMAIL -> next == AWAITING_CODE;
            case AWAITING_CODE -> next == AWAITING_CODE || next == AWAITING_EMAIL || next == AWAITING_ORGANIZATION
                    || next == DONE;
            case AWAITING_ORGANIZATION -> next == DONE;
            case DONE -> false;
        };
    }
}
