package dev.gatehouse.core.connection;

import java.util.Optional;

/**
 * What a connection listing is narrowed to; every part is optional.
 *
 * @param query case-insensitive text in the connection ID, the organization ID or the organization's name
 */
public record ConnectionFilter(
        Optional<String> query,
        Optional<ConnectionProvider> provider,
        Optional<ConnectionStatus> status,
        Optional<ConnectionType> type,
        Optional<Boolean> enabled) {

    public static final ConnectionFilter ALL = new ConnectionFilter(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());
}
