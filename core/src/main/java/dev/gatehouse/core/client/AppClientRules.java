package dev.gatehouse.core.client;

import dev.gatehouse.core.environment.EnvironmentType;
import dev.gatehouse.core.shared.FieldViolation;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Validation of environment-client fields. Redirect-URI violations carry the documented code
 * (e.g. {@code uri_too_long}) as their constraint and at the start of their description (D-C3).
 */
final class AppClientRules {
    static final int NAME_MAX = 128;
    static final int CLIENT_TYPE_MAX = 128;
    static final long ACCESS_TOKEN_EXPIRY_MIN = 60;
    static final long ACCESS_TOKEN_EXPIRY_MAX = 86_400;

    private AppClientRules() {}

    static void checkName(String field, String name, List<FieldViolation> out) {
        int length = name == null ? 0 : name.strip().codePointCount(0, name.strip().length());
        if (length < 1 || length > NAME_MAX) {
            out.add(new FieldViolation(field, "name must be between 1 and 128 characters", "string.len"));
        } else if (name.chars().anyMatch(Character::isISOControl)) {
            out.add(new FieldViolation(field, "name must not contain control characters", "string.pattern"));
        }
    }

    static void checkClientType(String field, String clientType, List<FieldViolation> out) {
        if (clientType == null || clientType.isBlank() || clientType.length() > CLIENT_TYPE_MAX
                || clientType.chars().anyMatch(Character::isISOControl)) {
            out.add(new FieldViolation(field, "client_type must be between 1 and 128 characters", "string.len"));
        }
    }

    static void checkSettings(String prefix, AppClientSettings settings, EnvironmentType type, List<FieldViolation> out) {
        checkList(prefix + "redirect_uris", settings.redirectUris(), type, true, out);
        settings.defaultRedirectUri().ifPresent(uri -> {
            if (uri.indexOf('*') >= 0) {
                out.add(redirectViolation(prefix + "default_redirect_uri", RedirectUriError.INVALID_REDIRECT_URI,
                        "must not hold a wildcard"));
            } else if (!settings.redirectUris().contains(uri)) {
                out.add(redirectViolation(prefix + "default_redirect_uri", RedirectUriError.INVALID_REDIRECT_URI,
                        "must be one of redirect_uris"));
            }
        });
        checkList(prefix + "post_logout_redirect_uris", settings.postLogoutRedirectUris(), type, false, out);
        checkList(prefix + "back_channel_logout_uris", settings.backChannelLogoutUris(), type, false, out);
        settings.initiateLoginUri().ifPresent(uri -> RedirectUriRules.check(uri, type, false).ifPresent(v ->
                out.add(redirectViolation(prefix + "initiate_login_uri", v.error(), v.description()))));
        settings.accessTokenExpirySeconds().ifPresent(seconds -> {
            if (seconds < ACCESS_TOKEN_EXPIRY_MIN || seconds > ACCESS_TOKEN_EXPIRY_MAX) {
                out.add(new FieldViolation(prefix + "access_token_expiry",
                        "access_token_expiry must be between 60 and 86400 seconds", "int64.range"));
            }
        });
    }

    private static void checkList(String field, List<String> uris, EnvironmentType type, boolean wildcards,
                                  List<FieldViolation> out) {
        if (uris.size() > RedirectUriRules.MAX_URIS) {
            out.add(redirectViolation(field, RedirectUriError.MAX_REDIRECTS_EXCEEDED,
                    "at most " + RedirectUriRules.MAX_URIS + " URIs may be registered"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < uris.size(); i++) {
            String uri = uris.get(i);
            String at = field + "[" + i + "]";
            Optional<RedirectUriRules.Violation> violation = RedirectUriRules.check(uri, type, wildcards);
            if (violation.isPresent()) {
                out.add(redirectViolation(at, violation.get().error(), violation.get().description()));
            } else if (!seen.add(uri)) {
                out.add(redirectViolation(at, RedirectUriError.INVALID_REDIRECT_URI, "is listed twice"));
            }
        }
    }

    private static FieldViolation redirectViolation(String field, RedirectUriError error, String description) {
        return new FieldViolation(field, error.code() + ": " + field + " " + description, error.code());
    }
}
