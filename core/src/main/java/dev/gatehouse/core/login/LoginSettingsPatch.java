package dev.gatehouse.core.login;

import java.time.Duration;
import java.util.Optional;

/** A partial update of {@link LoginSettings}: present fields replace, empty ones keep. An empty logo URL clears it. */
public record LoginSettingsPatch(
        Optional<Boolean> signupAllowed,
        Optional<Boolean> organizationCreationAllowed,
        Optional<String> brandName,
        Optional<String> logoUrl,
        Optional<String> primaryColor,
        Optional<String> backgroundColor,
        Optional<Duration> accessTokenLifetime,
        Optional<Duration> refreshTokenLifetime,
        Optional<Duration> idTokenLifetime,
        Optional<Duration> sessionIdleTimeout,
        Optional<Duration> sessionAbsoluteTimeout) {}
