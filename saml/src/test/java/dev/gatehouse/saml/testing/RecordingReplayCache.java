package dev.gatehouse.saml.testing;

import dev.gatehouse.core.sso.AssertionReplayCache;
import dev.gatehouse.core.sso.InMemoryAssertionReplayCache;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An in-memory replay cache that remembers every call, so tests can assert that refusals record nothing. */
public final class RecordingReplayCache implements AssertionReplayCache {
    /** One {@link #firstUse} call. */
    public record Use(String environmentId, String connectionId, String assertionId, Instant expiresAt) {}

    private final InMemoryAssertionReplayCache delegate = new InMemoryAssertionReplayCache();
    private final List<Use> uses = new ArrayList<>();

    @Override
    public synchronized boolean firstUse(String environmentId, String connectionId, String assertionId, Instant expiresAt) {
        uses.add(new Use(environmentId, connectionId, assertionId, expiresAt));
        return delegate.firstUse(environmentId, connectionId, assertionId, expiresAt);
    }

    @Override
    public int purgeExpired(Instant now, int limit) {
        return delegate.purgeExpired(now, limit);
    }

    public synchronized List<Use> uses() {
        return List.copyOf(uses);
    }
}
