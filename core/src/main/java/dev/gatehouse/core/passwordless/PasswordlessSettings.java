package dev.gatehouse.core.passwordless;

/**
 * An environment's passwordless mode (Scalekit's dashboard setting): what the emails carry, and whether a
 * magic link must be completed in the browser that asked for it (then verifying a link needs the
 * {@code auth_request_id}, which only that browser's session knows).
 */
public record PasswordlessSettings(PasswordlessType type, boolean enforceSameBrowserOrigin) {
    public static final PasswordlessSettings DEFAULT = new PasswordlessSettings(PasswordlessType.OTP, false);
}
