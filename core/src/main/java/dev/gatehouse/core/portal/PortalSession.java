package dev.gatehouse.core.portal;

import dev.gatehouse.core.organization.OrganizationFeature;
import java.time.Instant;
import java.util.Set;

/**
 * A browser's time in the admin portal ({@code pss_…}), started by opening a link: scoped to the link's organization
 * and features, ending after {@link PortalLinkService#SESSION_LIFETIME} or with the link (expiry or deletion), whichever
 * comes first. The cookie value is known only to the browser; the row keeps its SHA-256.
 */
public record PortalSession(
        String id,
        String environmentId,
        String organizationId,
        String linkId,
        Set<OrganizationFeature> features,
        String cookieHash,
        Instant createTime,
        Instant expireTime) {

    public PortalSession {
        features = Set.copyOf(features);
    }

    public boolean isActive(Instant now) {
        return now.isBefore(expireTime);
    }

    public boolean allows(OrganizationFeature feature) {
        return features.contains(feature);
    }
}
