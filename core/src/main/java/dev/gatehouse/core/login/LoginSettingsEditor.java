package dev.gatehouse.core.login;

import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.FieldViolation;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads and changes an environment's {@link LoginSettings}, within documented limits. */
public final class LoginSettingsEditor {
    public static final Duration MIN_ACCESS_TOKEN = Duration.ofMinutes(1);
    public static final Duration MAX_ACCESS_TOKEN = Duration.ofHours(24);
    public static final Duration MIN_REFRESH_TOKEN = Duration.ofMinutes(5);
    public static final Duration MAX_LONG_LIVED = Duration.ofDays(365);
    public static final Duration MIN_SESSION = Duration.ofMinutes(5);
    public static final int MAX_BRAND_NAME = 100;
    public static final int MAX_LOGO_URL = 512;
    private static final Pattern HEX_COLOUR = Pattern.compile("#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})");

    private final LoginSettingsRepository repository;
    private final Clock clock;

    public LoginSettingsEditor(LoginSettingsRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public LoginSettings get(String environmentId) {
        return repository.find(environmentId).orElseGet(() -> LoginSettings.defaults(environmentId));
    }

    public LoginSettings update(String environmentId, LoginSettingsPatch patch) {
        LoginSettings current = get(environmentId);
        LoginSettings.Branding branding = current.branding();
        LoginSettings updated = new LoginSettings(environmentId,
                patch.signupAllowed().orElse(current.signupAllowed()),
                patch.organizationCreationAllowed().orElse(current.organizationCreationAllowed()),
                new LoginSettings.Branding(
                        patch.brandName().map(String::strip).orElse(branding.name()),
                        patch.logoUrl().isPresent() ? patch.logoUrl().filter(v -> !v.isBlank()).map(String::strip)
                                : branding.logoUrl(),
                        patch.primaryColor().orElse(branding.primaryColor()),
                        patch.backgroundColor().orElse(branding.backgroundColor())),
                patch.accessTokenLifetime().orElse(current.accessTokenLifetime()),
                patch.refreshTokenLifetime().orElse(current.refreshTokenLifetime()),
                patch.idTokenLifetime().orElse(current.idTokenLifetime()),
                patch.sessionIdleTimeout().orElse(current.sessionIdleTimeout()),
                patch.sessionAbsoluteTimeout().orElse(current.sessionAbsoluteTimeout()));
        List<FieldViolation> violations = new ArrayList<>();
        check(updated, violations);
        if (!violations.isEmpty()) {
            throw new DomainException.InvalidArgument(violations.getFirst().description(), violations);
        }
        repository.save(updated, clock.instant().truncatedTo(ChronoUnit.MICROS));
        return updated;
    }

    private static void check(LoginSettings s, List<FieldViolation> out) {
        String name = s.branding().name();
        if (name.isEmpty() || name.length() > MAX_BRAND_NAME) {
            out.add(new FieldViolation("branding.name", "name must be 1 to " + MAX_BRAND_NAME + " characters", "string.len"));
        }
        Optional<String> logo = s.branding().logoUrl();
        if (logo.isPresent() && (logo.get().length() > MAX_LOGO_URL
                || !(logo.get().startsWith("https://") || logo.get().startsWith("http://")))) {
            out.add(new FieldViolation("branding.logo_url", "logo_url must be an http(s) URL of at most "
                    + MAX_LOGO_URL + " characters", "string.uri"));
        }
        for (var colour : List.of(new String[] {"branding.primary_color", s.branding().primaryColor()},
                new String[] {"branding.background_color", s.branding().backgroundColor()})) {
            if (!HEX_COLOUR.matcher(colour[1]).matches()) {
                out.add(new FieldViolation(colour[0], colour[0] + " must be #rgb or #rrggbb", "string.pattern"));
            }
        }
        range("access_token_expiry", s.accessTokenLifetime(), MIN_ACCESS_TOKEN, MAX_ACCESS_TOKEN, out);
        range("refresh_token_expiry", s.refreshTokenLifetime(), MIN_REFRESH_TOKEN, MAX_LONG_LIVED, out);
        range("id_token_expiry", s.idTokenLifetime(), MIN_ACCESS_TOKEN, MAX_ACCESS_TOKEN, out);
        range("session_idle_timeout", s.sessionIdleTimeout(), MIN_SESSION, MAX_LONG_LIVED, out);
        range("session_absolute_timeout", s.sessionAbsoluteTimeout(), MIN_SESSION, MAX_LONG_LIVED, out);
        if (s.sessionAbsoluteTimeout().compareTo(s.sessionIdleTimeout()) < 0) {
            out.add(new FieldViolation("session_absolute_timeout",
                    "session_absolute_timeout must not be shorter than session_idle_timeout", "duration.gte"));
        }
    }

    private static void range(String field, Duration value, Duration min, Duration max, List<FieldViolation> out) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            out.add(new FieldViolation(field, field + " must be between " + min.toSeconds() + " and " + max.toSeconds()
                    + " seconds", "int64.range"));
        }
    }
}
