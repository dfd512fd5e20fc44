package dev.gatehouse.core.environment;

import java.util.Locale;
import java.util.Optional;

/**
 * Scalekit's two kinds of environment. The type decides the redirect-URI rules (spec-sso §8.1):
 * development allows {@code http}, {@code localhost} and restricted wildcards; production allows none.
 * An environment's type is chosen when it is created and never changes.
 */
public enum EnvironmentType {
    DEVELOPMENT,
    PRODUCTION;

    /** {@code development} / {@code production}, any case. */
    public static Optional<EnvironmentType> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "development", "dev" -> Optional.of(DEVELOPMENT);
            case "production", "prod" -> Optional.of(PRODUCTION);
            default -> Optional.empty();
        };
    }
}
