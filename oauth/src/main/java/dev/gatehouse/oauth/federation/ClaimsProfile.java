package dev.gatehouse.oauth.federation;

import dev.gatehouse.core.connection.AttributeMappings;
import dev.gatehouse.core.login.FederatedIdentity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Claims → the normalized profile (spec-sso §2.3) through an attribute mapping (profile field → claim name; a
 * field the mapping leaves out is read from the claim of the same name; a key that is no profile field is a custom
 * attribute, read from the claim it names). {@code sub} and {@code email} are
 * required: without them the sign-in fails with {@code mandatory_attribute_missing}.
 */
final class ClaimsProfile {
    private static final int MAX_RAW_VALUE = 2048;

    private ClaimsProfile() {}

    record Source(String connectionId, Optional<String> organizationId, String connectionType, String providerName,
                  boolean social) {}

    static FederatedIdentity identity(Source source, Map<String, String> mapping, Map<String, Object> claims)
            throws FederationFailure {
        String subject = text(claims, mapping, "sub").orElseThrow(() -> missing("sub"));
        String email = text(claims, mapping, "email").orElseThrow(() -> missing("email"));
        boolean verified = text(claims, mapping, "email_verified").map(v -> v.equalsIgnoreCase("true")).orElse(false);
        Map<String, String> raw = new LinkedHashMap<>();
        claims.forEach((name, value) -> {
            if (value != null && raw.size() < 100) {
                String text = String.valueOf(value);
                raw.put(name, text.length() > MAX_RAW_VALUE ? text.substring(0, MAX_RAW_VALUE) : text);
            }
        });
        return new FederatedIdentity(source.connectionId(), source.organizationId(), source.connectionType(),
                source.providerName(), source.social(), subject, email, verified, text(claims, mapping, "given_name"),
                text(claims, mapping, "family_name"), text(claims, mapping, "name"), text(claims, mapping, "locale"),
                text(claims, mapping, "picture"), raw,
                AttributeMappings.customAttributes(mapping, claim -> claimText(claims, claim)));
    }

    private static Optional<String> text(Map<String, Object> claims, Map<String, String> mapping, String field) {
        return claimText(claims, mapping.getOrDefault(field, field));
    }

    private static Optional<String> claimText(Map<String, Object> claims, String claim) {
        Object value = claims.get(claim);
        if (value == null) {
            return Optional.empty();
        }
        String text = String.valueOf(value).strip();
        return text.isEmpty() || text.length() > MAX_RAW_VALUE ? Optional.empty() : Optional.of(text);
    }

    private static FederationFailure missing(String field) {
        return new FederationFailure("mandatory_attribute_missing", "A required attribute is missing: " + field,
                "the identity provider sent no " + field);
    }
}
