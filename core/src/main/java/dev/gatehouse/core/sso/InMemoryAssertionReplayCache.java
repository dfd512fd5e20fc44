package dev.gatehouse.core.sso;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A replay cache of one process: for tests and tools. A cluster needs the database's one. */
public final class InMemoryAssertionReplayCache implements AssertionReplayCache {
    private record Key(String environmentId, String connectionId, String assertionId) {}

    private final Map<Key, Instant> used = new ConcurrentHashMap<>();

    @Override
    public boolean firstUse(String environmentId, String connectionId, String assertionId, Instant expiresAt) {
        return used.putIfAbsent(new Key(environmentId, connectionId, assertionId), expiresAt) == null;
    }

    @Override
    public int purgeExpired(Instant now, int limit) {
        int purged = 0;
        for (Iterator<Map.Entry<Key, Instant>> it = used.entrySet().iterator(); it.hasNext() && purged < limit; ) {
            if (it.next().getValue().isBefore(now)) {
                it.remove();
                purged++;
            }
        }
        return purged;
    }
}
