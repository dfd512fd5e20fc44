package dev.gatehouse.oauth.token;

import dev.gatehouse.core.login.UserIdentity;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code identities} claim of ID tokens and userinfo (spec-sso §2.5, R-SSO-39): one object per identity linked
 * to the user ({@code organization_id} when the identity belongs to an organization's connection,
 * {@code connection_id}, {@code connection_type}, {@code provider_name}, {@code social},
 * {@code provider_raw_attributes}). Bounded so that a token stays small (D-PR1): the {@value #MAX_IDENTITIES} most
 * recently used identities, most recent first, and per identity at most {@value #MAX_RAW_ATTRIBUTES_CHARS}
 * characters of raw attributes (key and value lengths plus {@value #ENTRY_OVERHEAD} per entry, about the JSON's size);
 * entries are taken in key order (stored maps keep no order) and one that does not fit is left out whole, never cut.
 */
public record IdentitiesClaim(List<Map<String, Object>> value) {
    public static final String NAME = "identities";
    public static final int MAX_IDENTITIES = 5;
    public static final int MAX_RAW_ATTRIBUTES_CHARS = 2048;
    static final int ENTRY_OVERHEAD = 6;

    public IdentitiesClaim {
        value = List.copyOf(value);
    }

    public static IdentitiesClaim of(List<UserIdentity> identities) {
        return new IdentitiesClaim(identities.stream()
                .sorted(Comparator.comparing(UserIdentity::lastLoginTime).reversed())
                .limit(MAX_IDENTITIES)
                .map(IdentitiesClaim::entry)
                .toList());
    }

    private static Map<String, Object> entry(UserIdentity identity) {
        Map<String, Object> entry = new LinkedHashMap<>();
        identity.organizationId().ifPresent(org -> entry.put("organization_id", org));
        entry.put("connection_id", identity.connectionId());
        entry.put("connection_type", identity.connectionType());
        entry.put("provider_name", identity.providerName());
        entry.put("social", identity.social());
        entry.put("provider_raw_attributes", bounded(identity.rawAttributes()));
        return entry;
    }

    private static Map<String, Object> bounded(Map<String, String> raw) {
        Map<String, Object> kept = new LinkedHashMap<>();
        int size = 0;
        for (Map.Entry<String, String> attribute : new TreeMap<>(raw).entrySet()) {
            int cost = attribute.getKey().length() + attribute.getValue().length() + ENTRY_OVERHEAD;
            if (size + cost <= MAX_RAW_ATTRIBUTES_CHARS) {
                kept.put(attribute.getKey(), attribute.getValue());
                size += cost;
            }
        }
        return kept;
    }
}
