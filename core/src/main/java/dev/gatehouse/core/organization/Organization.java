package dev.gatehouse.core.organization;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** A customer of the SaaS app (a tenant), owned by one environment. */
public record Organization(
        String id,
        String environmentId,
        String displayName,
        RegionCode regionCode,
        Optional<String> externalId,
        Map<String, String> metadata,
        Map<OrganizationFeature, Boolean> features,
        Optional<String> slug,
        Optional<String> logoUrl,
        Optional<Integer> maxAllowedUsers,
        Instant createTime,
        Instant updateTime) {

    public Organization {
        metadata = Map.copyOf(metadata);
        features = Map.copyOf(features);
    }

    public boolean isFeatureEnabled(OrganizationFeature feature) {
        return features.getOrDefault(feature, false);
    }
}
