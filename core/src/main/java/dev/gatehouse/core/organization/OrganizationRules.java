package dev.gatehouse.core.organization;

import dev.gatehouse.core.shared.FieldViolation;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The validation rules of organization fields, from the proto's buf.validate constraints. */
final class OrganizationRules {
    static final int DISPLAY_NAME_MAX = 200;
    static final int EXTERNAL_ID_MAX = 255;
    static final int METADATA_MAX_PAIRS = 10;
    static final int METADATA_KEY_MIN = 3;
    static final int METADATA_KEY_MAX = 25;
    static final int METADATA_VALUE_MAX = 256;
    static final int SLUG_MAX = 253;
    static final int LOGO_URL_MAX = 1024;
    private static final Pattern SLUG = Pattern.compile(
            "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$");

    private OrganizationRules() {}

    static void checkDisplayName(String field, String value, List<FieldViolation> out) {
        int length = value == null ? 0 : value.strip().codePointCount(0, value.strip().length());
        if (length < 1 || length > DISPLAY_NAME_MAX) {
            out.add(new FieldViolation(field, "display_name must be between 1 and 200 characters", "string.len"));
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            out.add(new FieldViolation(field, "display_name must not contain control characters", "string.pattern"));
        }
    }

    static void checkExternalId(String field, Optional<String> value, boolean emptyClears, List<FieldViolation> out) {
        value.ifPresent(v -> {
            if (v.isEmpty() && emptyClears) {
                return;
            }
            if (v.isBlank() || v.length() > EXTERNAL_ID_MAX) {
                out.add(new FieldViolation(field, "external_id must be between 1 and 255 characters", "string.len"));
            } else if (v.chars().anyMatch(Character::isISOControl)) {
                out.add(new FieldViolation(field, "external_id must not contain control characters", "string.pattern"));
            }
        });
    }

    static void checkMetadata(String field, Map<String, String> metadata, List<FieldViolation> out) {
        if (metadata.size() > METADATA_MAX_PAIRS) {
            out.add(new FieldViolation(field, "metadata may hold at most 10 pairs", "map.max_pairs"));
        }
        metadata.forEach((key, value) -> {
            if (hasControlCharacter(key) || (value != null && hasControlCharacter(value))) {
                out.add(new FieldViolation(field + "[" + key.replaceAll("\\p{Cntrl}", "?") + "]",
                        "metadata keys and values must not contain control characters", "string.pattern"));
                return;
            }
            if (key.length() < METADATA_KEY_MIN || key.length() > METADATA_KEY_MAX) {
                out.add(new FieldViolation(field + "[" + key + "]",
                        "metadata keys must be between 3 and 25 characters", "map.keys.string.len"));
            }
            if (value == null || value.isEmpty() || value.length() > METADATA_VALUE_MAX) {
                out.add(new FieldViolation(field + "[" + key + "]",
                        "metadata values must be between 1 and 256 characters", "map.values.string.len"));
            }
        });
    }

    static void checkSlug(String field, Optional<String> value, boolean emptyClears, List<FieldViolation> out) {
        value.ifPresent(v -> {
            if (v.isEmpty() && emptyClears) {
                return;
            }
            if (v.length() > SLUG_MAX || !SLUG.matcher(v).matches()) {
                out.add(new FieldViolation(field,
                        "slug must be lowercase letters, digits, hyphens and dots, like a DNS name", "string.pattern"));
            }
        });
    }

    static void checkLogoUrl(String field, Optional<String> value, List<FieldViolation> out) {
        value.ifPresent(v -> {
            if (v.isEmpty()) {
                return;
            }
            if (v.length() > LOGO_URL_MAX || !isHttpUrl(v)) {
                out.add(new FieldViolation(field, "logo_url must be an http(s) URL of at most 1024 characters", "string.uri"));
            }
        });
    }

    private static boolean hasControlCharacter(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            return ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (Exception malformed) {
            return false;
        }
    }
}
