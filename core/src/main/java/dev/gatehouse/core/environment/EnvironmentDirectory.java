package dev.gatehouse.core.environment;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Answers "which environment is this?" on hot paths (every token request and API call) from a
 * short-lived in-memory copy of the environments table. New environments show up within
 * {@link #REFRESH_INTERVAL} on every node.
 */
public final class EnvironmentDirectory {
    public static final Duration REFRESH_INTERVAL = Duration.ofSeconds(10);
    public static final Duration MISS_REFRESH_INTERVAL = Duration.ofSeconds(1);

    private final EnvironmentRepository environments;
    private final Clock clock;
    private volatile Snapshot snapshot = new Snapshot(List.of(), Instant.EPOCH);

    private record Snapshot(List<Environment> environments, Instant loadedAt) {}

    public EnvironmentDirectory(EnvironmentRepository environments, Clock clock) {
        this.environments = environments;
        this.clock = clock;
    }

    public Optional<Environment> byId(String environmentId) {
        return current().stream().filter(e -> e.id().equals(environmentId)).findFirst()
                .or(() -> refreshed().stream().filter(e -> e.id().equals(environmentId)).findFirst());
    }

    /**
     * The environment from the copy in memory, when that copy is younger than {@link #REFRESH_INTERVAL}; otherwise
     * empty, without reading the table (for event loops, D-TP11: the caller falls back to {@link #byId}).
     */
    public Optional<Environment> inMemoryById(String environmentId) {
        Snapshot s = snapshot;
        if (s.loadedAt().plus(REFRESH_INTERVAL).isBefore(clock.instant())) {
            return Optional.empty();
        }
        for (Environment environment : s.environments()) {
            if (environment.id().equals(environmentId)) {
                return Optional.of(environment);
            }
        }
        return Optional.empty();
    }

    public Optional<Environment> byIssuer(String issuer) {
        return current().stream().filter(e -> e.issuerUrl().equals(issuer)).findFirst()
                .or(() -> refreshed().stream().filter(e -> e.issuerUrl().equals(issuer)).findFirst());
    }

    /**
     * The environment whose issuer URL has this {@code host:port} (port always explicit); when none has, the first
     * environment created (so http://127.0.0.1:8080 reaches the bootstrap environment).
     */
    public Optional<Environment> byAuthority(String authority) {
        List<Environment> all = current();
        return all.stream().filter(e -> authority != null && authority.equalsIgnoreCase(authorityOf(e.issuerUrl())))
                .findFirst()
                .or(() -> all.stream().findFirst());
    }

    /** Forgets the cached copy, so the next lookup reads the table (after a create on this node). */
    public void invalidate() {
        snapshot = new Snapshot(List.of(), Instant.EPOCH);
    }

    private List<Environment> current() {
        Snapshot s = snapshot;
        if (s.loadedAt().plus(REFRESH_INTERVAL).isBefore(clock.instant())) {
            return refreshed();
        }
        return s.environments();
    }

    /** On a miss, reads the table again, but at most once per {@link #MISS_REFRESH_INTERVAL}, so unknown IDs can't flood the database. */
    private List<Environment> refreshed() {
        Snapshot s = snapshot;
        if (!s.loadedAt().plus(MISS_REFRESH_INTERVAL).isBefore(clock.instant())) {
            return s.environments();
        }
        List<Environment> loaded = environments.list();
        snapshot = new Snapshot(loaded, clock.instant());
        return loaded;
    }

    static String authorityOf(String issuerUrl) {
        URI uri = URI.create(issuerUrl);
        int port = uri.getPort();
        if (port == -1) {
            port = "https".equals(uri.getScheme()) ? 443 : 80;
        }
        return uri.getHost() + ":" + port;
    }
}
