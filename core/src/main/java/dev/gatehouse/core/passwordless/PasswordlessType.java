package dev.gatehouse.core.passwordless;

/** What the email carries: a one-time code, a magic link, or both (the user picks). */
public enum PasswordlessType {
    OTP, LINK, LINK_OTP;

    public boolean sendsCode() {
        return this != LINK;
    }

    public boolean sendsLink() {
        return this != OTP;
    }
}
