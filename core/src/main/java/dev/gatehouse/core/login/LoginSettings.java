package dev.gatehouse.core.login;

import java.time.Duration;
import java.util.Optional;

/**
 * How an environment's hosted login behaves and what its tokens live for. Environments without a stored row
 * use {@link #defaults(String)}: the spec's lifetimes (access 5 min, refresh 3 days), sign-up and organization
 * creation allowed. What the sign-in email carries (code, link or both) is the environment's passwordless setting.
 */
public record LoginSettings(
        String environmentId,
        boolean signupAllowed,
        boolean organizationCreationAllowed,
        Branding branding,
        Duration accessTokenLifetime,
        Duration refreshTokenLifetime,
        Duration idTokenLifetime,
        Duration sessionIdleTimeout,
        Duration sessionAbsoluteTimeout) {

    /** Name, logo and colours shown on the hosted pages. Colours are #rgb or #rrggbb. */
    public record Branding(String name, Optional<String> logoUrl, String primaryColor, String backgroundColor) {}

    public static final Duration DEFAULT_ACCESS_TOKEN = Duration.ofMinutes(5);
    public static final Duration DEFAULT_REFRESH_TOKEN = Duration.ofDays(3);
    public static final Duration DEFAULT_ID_TOKEN = Duration.ofHours(1);
    public static final Duration DEFAULT_SESSION_IDLE = Duration.ofDays(7);
    public static final Duration DEFAULT_SESSION_ABSOLUTE = Duration.ofDays(30);

    public static LoginSettings defaults(String environmentId) {
        return new LoginSettings(environmentId, true, true,
                new Branding("Gatehouse", Optional.empty(), "#3b5bdb", "#f6f7f9"),
                DEFAULT_ACCESS_TOKEN, DEFAULT_REFRESH_TOKEN, DEFAULT_ID_TOKEN, DEFAULT_SESSION_IDLE,
                DEFAULT_SESSION_ABSOLUTE);
    }
}
