package dev.gatehouse.core.connection;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What login routing knows of one organization: its connections in creation order, and which of them are
 * restricted to the domains assigned to them (a connection with no assigned domain accepts any user).
 */
public record OrganizationRoute(String organizationId, List<Connection> connections, Set<String> restrictedConnectionIds) {
    public OrganizationRoute {
        connections = List.copyOf(connections);
        restrictedConnectionIds = Set.copyOf(restrictedConnectionIds);
    }

    public boolean isRestricted(Connection connection) {
        return restrictedConnectionIds.contains(connection.id());
    }

    /** The first active connection, the organization's default (R-SSO-10: "first" is the earliest created). */
    public Optional<Connection> firstActive() {
        return connections.stream().filter(Connection::isActive).findFirst();
    }

    /** The first active connection that accepts users of any domain. */
    public Optional<Connection> firstActiveUnrestricted() {
        return connections.stream().filter(c -> c.isActive() && !isRestricted(c)).findFirst();
    }
}
