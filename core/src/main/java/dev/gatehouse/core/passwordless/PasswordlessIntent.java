package dev.gatehouse.core.passwordless;

/** Why the email is sent (the API's {@code template}: SIGNIN or SIGNUP); it selects the email template. */
public enum PasswordlessIntent { SIGNIN, SIGNUP }
