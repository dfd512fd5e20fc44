package dev.gatehouse.core.connection;

import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage port for connections. Every method is scoped by environment, except
 * {@link #dueForMetadataRefresh}, the scheduler's environment-free scan.
 */
public interface ConnectionRepository {
    void insert(Connection connection);

    Optional<Connection> findById(String environmentId, String connectionId);

    /**
     * The connection as read from storage at most a few seconds ago, for the per-request sign-in path (the SAML ACS):
     * a change made on this node is seen at once, one made on another node within that time (docs/DECISIONS.md
     * D-AC4). Inside a transaction, or in stores without such a memory, the same as {@link #findById}.
     */
    default Optional<Connection> findRecent(String environmentId, String connectionId) {
        return findById(environmentId, connectionId);
    }

    /** The organization's connections in creation order. */
    List<Connection> listByOrganization(String environmentId, String organizationId);

    /** The environment's connections in creation order, at most {@code limit}. */
    List<Connection> list(String environmentId, int limit);

    /** A keyset page over the environment's connections narrowed by {@code filter}. */
    Page<Connection> page(String environmentId, ConnectionFilter filter, PageRequest page);

    /** Replaces the stored row; false when no such connection exists in the environment. */
    boolean update(Connection connection);

    boolean delete(String environmentId, String connectionId);

    /** When the IdP metadata URL of the connection is next fetched; empty stops refreshing (no URL). */
    void scheduleMetadataRefresh(String environmentId, String connectionId, Optional<Instant> next);

    /** Connections of any environment whose metadata refresh is due at {@code now}, soonest first. */
    List<MetadataRefreshDue> dueForMetadataRefresh(Instant now, int limit);

    /**
     * Takes a due refresh for this node: moves its next time from {@code expected} to {@code next}, and is false
     * when another node did so first.
     */
    boolean claimMetadataRefresh(String environmentId, String connectionId, Instant expected, Instant next);

    /** The organization and its connections, with those restricted to their assigned domains; empty if no such organization. */
    Optional<OrganizationRoute> organizationRoute(String environmentId, String organizationId);

    /** The domain, its organization and that organization's connections, in one indexed query; empty if unknown. */
    Optional<DomainRoute> domainRoute(String environmentId, String domain);

    /** A refresh the scheduler owes. */
    record MetadataRefreshDue(String environmentId, String connectionId, Instant dueAt) {}
}
