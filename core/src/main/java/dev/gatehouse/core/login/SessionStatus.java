package dev.gatehouse.core.login;

import java.util.Locale;
import java.util.Optional;

/** A session's status as the Sessions API shows it (the official SDK's values: active, expired, revoked, logout). */
public enum SessionStatus {
    ACTIVE, EXPIRED, REVOKED, LOGOUT;

    public static final String LOGOUT_REASON = "logout";

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SessionStatus> parse(String value) {
        for (SessionStatus status : values()) {
            if (status.name().equalsIgnoreCase(value == null ? "" : value.strip())) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    public static SessionStatus of(Session session, java.time.Instant now) {
        return switch (session.status(now)) {
            case ACTIVE -> ACTIVE;
            case EXPIRED -> EXPIRED;
            case REVOKED -> session.revokeReason().filter(LOGOUT_REASON::equals).isPresent() ? LOGOUT : REVOKED;
        };
    }
}
