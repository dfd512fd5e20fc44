package dev.gatehouse.core.organization;

import java.util.Map;
import java.util.Optional;

/**
 * A partial update: every present field replaces the stored value, every empty one keeps it.
 * An empty string clears {@code external_id}, {@code slug} and {@code logo_url}; a present
 * metadata map replaces the whole map.
 */
public record OrganizationPatch(
        Optional<String> displayName,
        Optional<String> externalId,
        Optional<Map<String, String>> metadata,
        Optional<String> slug,
        Optional<String> logoUrl) {

    public static OrganizationPatch empty() {
        return new OrganizationPatch(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
