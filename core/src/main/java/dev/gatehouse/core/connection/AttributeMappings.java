package dev.gatehouse.core.connection;

import dev.gatehouse.core.shared.FieldViolation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Attribute mappings: profile field → the IdP's attribute (or claim) name. New connections get their provider's
 * defaults (spec-sso.md §3.8; the docs show the per-IdP names only in screenshots, so these are the names each
 * IdP sends by default: Entra ID and AD FS the WS-Federation claim URIs, OIDC the standard claims, every other
 * SAML IdP {@code email}/{@code firstName}/{@code lastName} as the seed's example). Admins may replace the map
 * with their own, including custom attributes (R-SSO-44); {@code email} must stay mapped.
 */
public final class AttributeMappings {
    public static final int MAX_PAIRS = 30;
    public static final int MAX_KEY_LENGTH = 100;
    public static final int MAX_VALUE_LENGTH = 256;
    /** The pseudo-attribute naming the SAML Subject's NameID. */
    public static final String NAME_ID = "nameid";
    /** The normalized profile's fields (spec-sso §2.5); every other mapping key is a custom attribute. */
    public static final Set<String> PROFILE_FIELDS = Set.of("sub", "email", "email_verified", "name", "given_name",
            "family_name", "locale", "picture");
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,99}");
    private static final String CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/";

    private AttributeMappings() {}

    public static Map<String, String> defaults(ConnectionType type, ConnectionProvider provider) {
        Map<String, String> mapping = new LinkedHashMap<>();
        if (type == ConnectionType.OIDC) {
            for (String claim : List.of("sub", "email", "email_verified", "name", "given_name", "family_name", "locale", "picture")) {
                mapping.put(claim, claim);
            }
            return mapping;
        }
        mapping.put("sub", NAME_ID);
        switch (provider) {
            case MICROSOFT_AD -> {
                mapping.put("email", CLAIMS + "emailaddress");
                mapping.put("given_name", CLAIMS + "givenname");
                mapping.put("family_name", CLAIMS + "surname");
                mapping.put("name", "http://schemas.microsoft.com/identity/claims/displayname");
            }
            case ADFS -> {
                mapping.put("email", CLAIMS + "emailaddress");
                mapping.put("given_name", CLAIMS + "givenname");
                mapping.put("family_name", CLAIMS + "surname");
            }
            default -> {
                mapping.put("email", "email");
                mapping.put("given_name", "firstName");
                mapping.put("family_name", "lastName");
            }
        }
        return mapping;
    }

    /**
     * The custom attributes of {@code mapping} (keys that are no profile field) with the value {@code sentValue} finds
     * for the IdP attribute each names; attributes the IdP did not send are left out. Keys keep the mapping's order.
     */
    public static Map<String, String> customAttributes(Map<String, String> mapping,
                                                       Function<String, Optional<String>> sentValue) {
        Map<String, String> custom = new LinkedHashMap<>();
        mapping.forEach((field, attribute) -> {
            if (!PROFILE_FIELDS.contains(field)) {
                sentValue.apply(attribute).ifPresent(value -> custom.put(field, value));
            }
        });
        return custom;
    }

    /** Adds a violation under {@code field} for each rule {@code mapping} breaks. */
    public static void check(String field, Map<String, String> mapping, List<FieldViolation> violations) {
        if (mapping.size() > MAX_PAIRS) {
            violations.add(new FieldViolation(field, "attribute_mapping must have at most " + MAX_PAIRS + " entries", "map.max_pairs"));
            return;
        }
        for (Map.Entry<String, String> entry : mapping.entrySet()) {
            if (!KEY.matcher(entry.getKey()).matches()) {
                violations.add(new FieldViolation(field, "attribute_mapping keys must be 1-" + MAX_KEY_LENGTH
                        + " letters, digits, '_', '.' or '-', starting with a letter", "map.keys"));
                return;
            }
            String value = entry.getValue();
            if (value == null || value.isBlank() || value.length() > MAX_VALUE_LENGTH || value.chars().anyMatch(Character::isISOControl)) {
                violations.add(new FieldViolation(field, "attribute_mapping values must be 1-" + MAX_VALUE_LENGTH
                        + " characters without control characters", "map.values"));
                return;
            }
        }
        if (!mapping.containsKey("email")) {
            violations.add(new FieldViolation(field, "attribute_mapping must map email", "map.required_key"));
        }
    }
}
