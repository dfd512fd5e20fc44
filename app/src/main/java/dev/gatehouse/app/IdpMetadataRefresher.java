package dev.gatehouse.app;

import dev.gatehouse.core.connection.ConnectionService;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes SAML connections' IdP metadata URLs on schedule: every {@link #POLL} one daemon thread asks
 * {@link ConnectionService#refreshDueMetadata} for the refreshes that are due (each connection is due
 * {@code GATEHOUSE_SSO_METADATA_REFRESH_MINUTES} after its last fetch). Every node runs one; the service claims
 * each refresh, so a connection is fetched by one node. Tests call {@link #runOnce()} with a moved clock.
 */
final class IdpMetadataRefresher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IdpMetadataRefresher.class);
    static final Duration POLL = Duration.ofMinutes(1);
    static final int BATCH = 20;

    private final ConnectionService connections;
    private ScheduledExecutorService executor;

    IdpMetadataRefresher(ConnectionService connections) {
        this.connections = connections;
    }

    synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-idp-metadata");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::poll, POLL.toSeconds(), POLL.toSeconds(), TimeUnit.SECONDS);
    }

    private void poll() {
        try {
            int refreshed = runOnce();
            if (refreshed > 0) {
                LOG.info("refreshed the IdP metadata of {} connections", refreshed);
            }
        } catch (RuntimeException e) {
            LOG.warn("IdP metadata refresh failed; retrying on the next poll: {}", e.toString());
        }
    }

    /** Refreshes what is due now, in batches; returns how many connections got fresh metadata. */
    int runOnce() {
        int total = 0;
        for (int round = 0; round < 50; round++) {
            int refreshed = connections.refreshDueMetadata(BATCH);
            total += refreshed;
            if (refreshed < BATCH) {
                break;
            }
        }
        return total;
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
