package dev.gatehouse.core.login;

import java.time.Duration;

/**
 * How long a session may last: {@code absolute} since sign-in whatever happens, {@code idle} since its last activity
 * (a sign-in through it, a refresh of its tokens). The environment's login settings give the defaults; an
 * organization's session policy may make them shorter (docs/DECISIONS.md D-AP6).
 */
public record SessionLifetimes(Duration absolute, Duration idle) {
    public static SessionLifetimes of(LoginSettings settings) {
        return new SessionLifetimes(settings.sessionAbsoluteTimeout(), settings.sessionIdleTimeout());
    }

    /** Field by field, the shorter of the two. */
    public SessionLifetimes stricter(SessionLifetimes other) {
        return new SessionLifetimes(min(absolute, other.absolute), min(idle, other.idle));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
