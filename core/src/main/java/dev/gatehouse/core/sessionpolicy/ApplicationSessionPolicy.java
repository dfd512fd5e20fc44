package dev.gatehouse.core.sessionpolicy;

import java.time.Duration;

/**
 * The environment's session settings as an organization sees them (GetApplicationSessionPolicy): its login
 * settings' absolute and idle timeouts (each in the largest unit that divides it) and its access token lifetime.
 * The environment's idle timeout is always on.
 */
public record ApplicationSessionPolicy(SessionTimeout absolute, boolean idleEnabled, SessionTimeout idle,
                                       Duration accessTokenLifetime) {}
