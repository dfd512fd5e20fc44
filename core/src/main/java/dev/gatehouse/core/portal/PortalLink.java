package dev.gatehouse.core.portal;

import dev.gatehouse.core.organization.OrganizationFeature;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * A link ({@code lnk_…}) that opens the admin portal of one organization for 7 days, until it expires or is deleted.
 * Only the SHA-256 of its secret is kept: the full URL is shown once, when the link is generated.
 */
public record PortalLink(
        String id,
        String environmentId,
        String organizationId,
        Set<OrganizationFeature> features,
        String secretHash,
        Instant createTime,
        Instant expireTime) {

    public PortalLink {
        features = features.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(features));
    }

    public boolean isLive(Instant now) {
        return now.isBefore(expireTime);
    }

    public boolean allows(OrganizationFeature feature) {
        return features.contains(feature);
    }

    /** {@code <issuer>/portal/<id>}: the portal's address without the secret (what a listing shows). */
    public String address(String issuerUrl) {
        String base = issuerUrl.endsWith("/") ? issuerUrl.substring(0, issuerUrl.length() - 1) : issuerUrl;
        return base + PortalLinkService.PATH_PREFIX + id;
    }
}
