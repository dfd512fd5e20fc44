package dev.gatehouse.core.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link AppClientDirectory} over the store, remembering each answer (found or not) for {@link #TTL}.
 * Changes made through {@link AppClientService} on this node are seen at once; other nodes see them
 * within the TTL.
 */
public final class CachedAppClientDirectory implements AppClientDirectory {
    public static final Duration TTL = Duration.ofSeconds(5);
    static final int MAX_ENTRIES = 10_000;

    private final AppClientRepository clients;
    private final Clock clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    private record Entry(Optional<AppClient> client, Instant loadedAt) {}

    public CachedAppClientDirectory(AppClientRepository clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    @Override
    public Optional<AppClient> find(String environmentId, String clientId) {
        if (environmentId == null || clientId == null) {
            return Optional.empty();
        }
        String key = environmentId + "/" + clientId;
        Instant now = clock.instant();
        Entry entry = cache.get(key);
        if (entry == null || entry.loadedAt().plus(TTL).isBefore(now)) {
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            entry = new Entry(clients.find(environmentId, clientId).map(EnvironmentAppClient::toAppClient), now);
            cache.put(key, entry);
        }
        return entry.client();
    }

    /** Drops what is remembered about a client (after a change on this node). */
    public void forget(String clientId) {
        cache.keySet().removeIf(key -> key.endsWith("/" + clientId));
    }
}
