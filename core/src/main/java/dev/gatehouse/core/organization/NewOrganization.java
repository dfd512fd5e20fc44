package dev.gatehouse.core.organization;

import java.util.Map;
import java.util.Optional;

/** A create request, parsed from the wire but not yet validated. */
public record NewOrganization(
        String displayName,
        RegionCode regionCode,
        Optional<String> externalId,
        Map<String, String> metadata,
        Optional<String> slug,
        Optional<String> logoUrl) {

    public NewOrganization {
        metadata = Map.copyOf(metadata);
    }
}
