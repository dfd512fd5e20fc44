package dev.gatehouse.core.client;

import dev.gatehouse.core.shared.FieldViolation;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Validation of organization-client fields (the proto's buf.validate rules plus Gatehouse's limits, README). */
final class OrganizationClientRules {
    static final int NAME_MAX = 128;
    static final int DESCRIPTION_MAX = 512;
    static final int SCOPES_MAX = 50;
    static final int SCOPE_MAX = 128;
    static final int AUDIENCE_MAX = 10;
    static final int AUDIENCE_VALUE_MAX = 512;
    static final int CUSTOM_CLAIMS_MAX = 20;
    static final int CLAIM_KEY_MAX = 128;
    static final int CLAIM_VALUE_MAX = 1024;
    static final long EXPIRY_MIN = 300;
    static final long EXPIRY_MAX = 86_400;
    /** Claims Gatehouse sets itself; a custom claim may not replace them. */
    static final Set<String> RESERVED_CLAIMS = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id",
            "oid", "uid", "sid", "scope", "scopes", "azp", "cnf", "act", "typ", "kid", "alg");

    private OrganizationClientRules() {}

    static void checkName(String name, List<FieldViolation> out) {
        int length = name == null ? 0 : name.strip().codePointCount(0, name.strip().length());
        if (length < 1 || length > NAME_MAX) {
            out.add(new FieldViolation("client.name", "name must be between 1 and 128 characters", "string.len"));
        } else if (hasControl(name)) {
            out.add(new FieldViolation("client.name", "name must not contain control characters", "string.pattern"));
        }
    }

    static void checkDescription(String description, List<FieldViolation> out) {
        if (description.codePointCount(0, description.length()) > DESCRIPTION_MAX) {
            out.add(new FieldViolation("client.description", "description must be at most 512 characters", "string.max_len"));
        }
    }

    static void checkScopes(List<String> scopes, List<FieldViolation> out) {
        if (scopes.size() > SCOPES_MAX) {
            out.add(new FieldViolation("client.scopes", "at most 50 scopes", "repeated.max_items"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < scopes.size(); i++) {
            String scope = scopes.get(i);
            // RFC 6749 §3.3 scope-token: printable ASCII without space, double quote or backslash.
            if (scope.isEmpty() || scope.length() > SCOPE_MAX
                    || !scope.chars().allMatch(c -> c >= 0x21 && c <= 0x7e && c != '"' && c != '\\')) {
                out.add(new FieldViolation("client.scopes[" + i + "]",
                        "a scope is 1 to 128 printable ASCII characters without spaces, quotes or backslashes", "string.pattern"));
            } else if (!seen.add(scope)) {
                out.add(new FieldViolation("client.scopes[" + i + "]", "scope " + scope + " is listed twice", "repeated.unique"));
            }
        }
    }

    static void checkAudience(List<String> audience, List<FieldViolation> out) {
        if (audience.size() > AUDIENCE_MAX) {
            out.add(new FieldViolation("client.audience", "at most 10 audience values", "repeated.max_items"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < audience.size(); i++) {
            String value = audience.get(i);
            if (value.isBlank() || value.length() > AUDIENCE_VALUE_MAX || hasControl(value)) {
                out.add(new FieldViolation("client.audience[" + i + "]",
                        "an audience value is 1 to 512 characters without control characters", "string.len"));
            } else if (!seen.add(value)) {
                out.add(new FieldViolation("client.audience[" + i + "]", "audience " + value + " is listed twice", "repeated.unique"));
            }
        }
    }

    static void checkCustomClaims(List<CustomClaim> claims, List<FieldViolation> out) {
        if (claims.size() > CUSTOM_CLAIMS_MAX) {
            out.add(new FieldViolation("client.custom_claims", "at most 20 custom claims", "repeated.max_items"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < claims.size(); i++) {
            CustomClaim claim = claims.get(i);
            String field = "client.custom_claims[" + i + "]";
            if (claim.key().isEmpty() || claim.key().length() > CLAIM_KEY_MAX || hasControl(claim.key())) {
                out.add(new FieldViolation(field + ".key", "a claim key is 1 to 128 characters", "string.len"));
            } else if (RESERVED_CLAIMS.contains(claim.key())) {
                out.add(new FieldViolation(field + ".key", "claim " + claim.key() + " is set by Gatehouse and cannot be custom",
                        "string.not_in"));
            } else if (!seen.add(claim.key())) {
                out.add(new FieldViolation(field + ".key", "claim " + claim.key() + " is listed twice", "repeated.unique"));
            }
            if (claim.value().length() > CLAIM_VALUE_MAX) {
                out.add(new FieldViolation(field + ".value", "a claim value is at most 1024 characters", "string.max_len"));
            }
        }
    }

    static void checkExpiry(long seconds, List<FieldViolation> out) {
        if (seconds < EXPIRY_MIN || seconds > EXPIRY_MAX) {
            out.add(new FieldViolation("client.expiry", "expiry must be between 300 and 86400 seconds", "int64.range"));
        }
    }

    private static boolean hasControl(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }
}
