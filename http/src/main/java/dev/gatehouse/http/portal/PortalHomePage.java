package dev.gatehouse.http.portal;

import java.util.List;

/** The portal's overview: the organization's connections and domains, and its directories. */
public record PortalHomePage(PortalFrame frame, List<ConnectionRow> connections, List<DomainRow> domains,
                             List<DirectoryRow> directories, List<Choice> connectionProviders,
                             List<Choice> directoryProviders) {
    public PortalHomePage {
        connections = List.copyOf(connections);
        domains = List.copyOf(domains);
        directories = List.copyOf(directories);
        connectionProviders = List.copyOf(connectionProviders);
        directoryProviders = List.copyOf(directoryProviders);
    }

    public record ConnectionRow(String id, String type, String provider, String status, boolean enabled) {}

    public record DomainRow(String id, String name, String verification) {}

    public record DirectoryRow(String id, String provider, boolean enabled, int users, int groups) {}

    /** One option of a select: the value posted and its label. */
    public record Choice(String value, String label) {}
}
