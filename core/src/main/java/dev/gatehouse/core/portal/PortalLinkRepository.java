package dev.gatehouse.core.portal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Storage port for portal links; every method is scoped by environment (and organization where it names one). */
public interface PortalLinkRepository {
    void insert(PortalLink link);

    Optional<PortalLink> find(String environmentId, String linkId);

    /** The organization's links that have not expired at {@code now}, oldest first. */
    List<PortalLink> listLive(String environmentId, String organizationId, Instant now);

    /** Deletes one link of the organization (its portal sessions go with it); false when there is none. */
    boolean delete(String environmentId, String organizationId, String linkId);

    /** Deletes every link of the organization (and their portal sessions); returns how many. */
    int deleteAll(String environmentId, String organizationId);

    /** Housekeeping, every environment: deletes links that expired before {@code cutoff}. */
    int deleteExpiredBefore(Instant cutoff);
}
