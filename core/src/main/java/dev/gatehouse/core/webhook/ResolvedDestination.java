package dev.gatehouse.core.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A URL that {@link DestinationPolicy} accepted, with the addresses its host resolved to when it was checked.
 * {@link PinnedHttp} connects to these addresses only, never resolving the host again, so a DNS answer that changes
 * between the check and the connection (DNS rebinding) cannot lead a request to an address the check did not see.
 */
public record ResolvedDestination(URI uri, String host, int port, boolean tls, List<InetAddress> addresses) {
    public ResolvedDestination {
        Objects.requireNonNull(uri);
        Objects.requireNonNull(host);
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a resolved destination needs at least one address");
        }
    }

    /** Whether the host is an IP literal (no SNI is sent for those, and certificates are checked against the address). */
    public boolean hostIsAddress() {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }
}
