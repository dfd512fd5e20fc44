package dev.gatehouse.core.user;

import dev.gatehouse.core.shared.FieldViolation;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Validation of user and membership fields, from the swagger's and the proto's buf.validate limits. */
final class UserRules {
    static final int EMAIL_MAX = 254;
    static final int EXTERNAL_ID_MAX = 510;
    static final int METADATA_MAX_PAIRS = 20;
    static final int METADATA_KEY_MIN = 3;
    static final int METADATA_KEY_MAX = 25;
    static final int METADATA_VALUE_MAX = 256;
    static final int GIVEN_FAMILY_NAME_MAX = 255;
    static final int FIRST_LAST_NAME_MAX = 200;
    static final int NAME_MAX = 1024;
    static final int PREFERRED_USERNAME_MAX = 512;
    static final int PICTURE_MAX = 2048;
    static final int GENDER_MAX = 100;
    static final int GROUPS_MAX = 50;
    static final int GROUP_MAX = 250;
    static final int ROLES_MAX = 10;
    private static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{1,14}$");
    private static final Pattern BCP47 = Pattern.compile("^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$");

    private UserRules() {}

    static void checkEmail(String field, String value, List<FieldViolation> out) {
        if (value == null || value.isEmpty()) {
            out.add(new FieldViolation(field, "email is required", "required"));
        } else if (value.length() > EMAIL_MAX || !EMAIL.matcher(value).matches()) {
            out.add(new FieldViolation(field, "email must be a valid email address of at most 254 characters", "string.email"));
        }
    }

    static void checkExternalId(String field, Optional<String> value, boolean emptyClears, List<FieldViolation> out) {
        value.ifPresent(v -> {
            if (v.isEmpty() && emptyClears) {
                return;
            }
            if (v.isBlank() || v.length() > EXTERNAL_ID_MAX) {
                out.add(new FieldViolation(field, "external_id must be between 1 and 510 characters", "string.len"));
            } else if (hasControl(v)) {
                out.add(new FieldViolation(field, "external_id must not contain control characters", "string.pattern"));
            }
        });
    }

    static void checkMetadata(String field, Map<String, String> metadata, List<FieldViolation> out) {
        if (metadata.size() > METADATA_MAX_PAIRS) {
            out.add(new FieldViolation(field, field + " may hold at most 20 pairs", "map.max_pairs"));
        }
        metadata.forEach((key, value) -> {
            String shown = field + "[" + key.replaceAll("\\p{Cntrl}", "?") + "]";
            if (hasControl(key) || (value != null && hasControl(value))) {
                out.add(new FieldViolation(shown, "keys and values must not contain control characters", "string.pattern"));
                return;
            }
            if (key.length() < METADATA_KEY_MIN || key.length() > METADATA_KEY_MAX) {
                out.add(new FieldViolation(shown, "keys must be between 3 and 25 characters", "map.keys.string.len"));
            }
            if (value == null || value.isEmpty() || value.length() > METADATA_VALUE_MAX) {
                out.add(new FieldViolation(shown, "values must be between 1 and 256 characters", "map.values.string.len"));
            }
        });
    }

    static void checkProfile(String field, UserProfile p, List<FieldViolation> out) {
        maxLength(field + ".given_name", p.givenName(), GIVEN_FAMILY_NAME_MAX, out);
        maxLength(field + ".family_name", p.familyName(), GIVEN_FAMILY_NAME_MAX, out);
        maxLength(field + ".first_name", p.firstName(), FIRST_LAST_NAME_MAX, out);
        maxLength(field + ".last_name", p.lastName(), FIRST_LAST_NAME_MAX, out);
        maxLength(field + ".name", p.name(), NAME_MAX, out);
        maxLength(field + ".preferred_username", p.preferredUsername(), PREFERRED_USERNAME_MAX, out);
        maxLength(field + ".picture", p.picture(), PICTURE_MAX, out);
        maxLength(field + ".gender", p.gender(), GENDER_MAX, out);
        if (!p.phoneNumber().isEmpty() && !E164.matcher(p.phoneNumber()).matches()) {
            out.add(new FieldViolation(field + ".phone_number", "phone_number must be in E.164 format (+14155550123)", "string.pattern"));
        }
        if (!p.locale().isEmpty() && (p.locale().length() > 35 || !BCP47.matcher(p.locale()).matches())) {
            out.add(new FieldViolation(field + ".locale", "locale must be a BCP 47 language tag (en-US)", "string.pattern"));
        }
        if (p.groups().size() > GROUPS_MAX) {
            out.add(new FieldViolation(field + ".groups", "groups may hold at most 50 items", "repeated.max_items"));
        }
        Set<String> seen = new HashSet<>();
        for (String group : p.groups()) {
            if (group.isEmpty() || group.length() > GROUP_MAX || hasControl(group)) {
                out.add(new FieldViolation(field + ".groups", "groups must be between 1 and 250 characters", "repeated.items.string.len"));
                break;
            }
            if (!seen.add(group)) {
                out.add(new FieldViolation(field + ".groups", "groups must be unique", "repeated.unique"));
                break;
            }
        }
        checkMetadata(field + ".metadata", p.metadata(), out);
        checkMetadata(field + ".custom_attributes", p.customAttributes(), out);
    }

    static void checkInviterEmail(String field, Optional<String> value, List<FieldViolation> out) {
        value.ifPresent(v -> {
            if (v.length() < 5 || v.length() > EMAIL_MAX || !EMAIL.matcher(v).matches()) {
                out.add(new FieldViolation(field, "inviter_email must be a valid email address of 5 to 254 characters", "string.email"));
            }
        });
    }

    static void checkRoles(String field, List<String> names, List<Role> known, List<FieldViolation> out) {
        if (names.size() > ROLES_MAX) {
            out.add(new FieldViolation(field, "at most 10 roles per membership", "repeated.max_items"));
            return;
        }
        Set<String> knownNames = new HashSet<>();
        known.forEach(r -> knownNames.add(r.name()));
        for (String name : names) {
            if (!knownNames.contains(name)) {
                String shown = name.length() > 100 ? name.substring(0, 100) + "…" : name.replaceAll("\\p{Cntrl}", "?");
                out.add(new FieldViolation(field, "unknown role '" + shown + "'; roles of this environment: "
                        + String.join(", ", knownNames.stream().sorted().toList()), "role.exists"));
                return;
            }
        }
    }

    private static void maxLength(String field, String value, int max, List<FieldViolation> out) {
        if (value.length() > max) {
            out.add(new FieldViolation(field, field.substring(field.lastIndexOf('.') + 1) + " must be at most " + max + " characters", "string.max_len"));
        } else if (hasControl(value)) {
            out.add(new FieldViolation(field, field.substring(field.lastIndexOf('.') + 1) + " must not contain control characters", "string.pattern"));
        }
    }

    private static boolean hasControl(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }
}
