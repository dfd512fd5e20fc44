package dev.gatehouse.webhooks;

import dev.gatehouse.core.webhook.DestinationCheck;
import dev.gatehouse.core.webhook.DestinationPolicy;
import dev.gatehouse.core.webhook.WebhookDeliveries;
import dev.gatehouse.core.webhook.WebhookDeliveryLog;
import dev.gatehouse.core.webhook.WebhookEndpointService;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers queued webhook deliveries. Every node runs one claim loop: it claims due deliveries (a
 * short transaction with {@code FOR UPDATE SKIP LOCKED} that sets a lease, reading only the front of
 * the due queue) up to the free delivery slots and hands each to a virtual thread that posts the signed
 * event. Successes are recorded in batches by one recorder thread (one transaction per batch); a failure
 * is recorded at once with the next due time from the {@link RetrySchedule}. The loop claims again
 * as soon as a slot frees, an event commits on this node ({@link #wake}), or the poll interval passes
 * (events committed on other nodes). At most {@link WebhookSettings#workers()} × {@link #SLOTS_PER_WORKER}
 * deliveries are in flight per node. Events of one organization reach an endpoint in commit order,
 * because the claim skips a delivery while an earlier one of the same (endpoint, organization) is
 * pending. Time comes from the injected clock; tests drive {@link #runOnce()} directly.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    static final int BATCH = 8;
    /** Concurrent deliveries per configured worker. */
    static final int SLOTS_PER_WORKER = 64;
    /** The most deliveries one claim takes. */
    static final int CLAIM_MAX = 64;
    /**
     * Every attempt ends within one request timeout; the lease adds a margin for recording. After a
     * crash, what the dead node had claimed is retried once this lease has passed.
     */
    static final Duration LEASE = PinnedHttpTransport.TIMEOUT.plusSeconds(10);
    static final Duration PURGE_INTERVAL = Duration.ofHours(1);
    /** The least time between two claims of one node while it is woken faster than that. */
    static final Duration CLAIM_GAP = Duration.ofMillis(10);
    /** The most successes recorded in one transaction. */
    static final int RECORD_MAX = 500;

    private final WebhookDeliveries deliveries;
    private final WebhookEndpointService endpoints;
    private final WebhookDeliveryLog log;
    private final DestinationPolicy destinations;
    private final Transport transport;
    private final RetrySchedule schedule;
    private final Clock clock;
    private final WebhookSettings settings;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running;
    private ScheduledExecutorService executor;
    private ExecutorService inFlight;
    private Thread claimer;
    private Thread recorder;
    private final LinkedBlockingQueue<WebhookDeliveries.Attempt> succeeded = new LinkedBlockingQueue<>();

    public Dispatcher(WebhookDeliveries deliveries, WebhookEndpointService endpoints, WebhookDeliveryLog log,
                      DestinationPolicy destinations, Transport transport, RetrySchedule schedule, Clock clock,
                      WebhookSettings settings) {
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.log = log;
        this.destinations = destinations;
        this.transport = transport;
        this.schedule = schedule;
        this.clock = clock;
        this.settings = settings;
    }

    /** Starts the claim loop and the hourly retention purge. */
    public synchronized void start() {
        if (executor != null || settings.workers() == 0) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-webhooks-purge");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::purge, 1, PURGE_INTERVAL.toMinutes(), TimeUnit.MINUTES);
        inFlight = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("gatehouse-webhook-", 0).factory());
        running = true;
        Semaphore slots = new Semaphore(settings.workers() * SLOTS_PER_WORKER);
        claimer = Thread.ofPlatform().daemon().name("gatehouse-webhooks-claim").start(() -> claimLoop(slots));
        recorder = Thread.ofPlatform().daemon().name("gatehouse-webhooks-record").start(this::recordLoop);
    }

    /**
     * Makes the claim loop look for due deliveries now instead of at its next poll: called after a
     * commit that queued deliveries, and when a delivery slot frees.
     */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /**
     * Records successes in batches, one transaction each (the database's work per delivery would
     * otherwise compete with the requests that produce events), then wakes the claim loop: a recorded
     * success can unblock the next event of its organization.
     */
    private void recordLoop() {
        List<WebhookDeliveries.Attempt> batch = new ArrayList<>();
        while (running || !succeeded.isEmpty()) {
            try {
                WebhookDeliveries.Attempt first = succeeded.poll(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                if (succeeded.isEmpty()) {
                    return;
                }
                continue;
            }
            succeeded.drainTo(batch, RECORD_MAX - 1);
            try {
                deliveries.recordSuccesses(batch);
            } catch (RuntimeException e) {
                // Their leases expire and they are delivered again: at-least-once.
                LOG.warn("recording {} webhook successes failed: {}", batch.size(), e.toString());
            }
            batch.clear();
            wake();
        }
    }

    private void claimLoop(Semaphore slots) {
        long poll = settings.pollInterval().toMillis();
        long lastClaim = System.nanoTime() - CLAIM_GAP.toNanos();
        while (running) {
            boolean full = false;
            // Wake-ups come per commit and per finished delivery: claim at most every CLAIM_GAP unless
            // the last claim filled every slot it asked for.
            long gap = lastClaim + CLAIM_GAP.toNanos() - System.nanoTime();
            if (gap > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(gap);
            }
            lastClaim = System.nanoTime();
            try {
                int free = slots.availablePermits();
                if (free > 0) {
                    int limit = Math.min(free, CLAIM_MAX);
                    Instant now = clock.instant();
                    List<WebhookDeliveries.Claimed> claimed = deliveries.claimDue(now, limit, now.plus(LEASE));
                    for (WebhookDeliveries.Claimed delivery : claimed) {
                        slots.acquireUninterruptibly();
                        inFlight.execute(() -> {
                            try {
                                attempt(delivery, succeeded::add);
                            } catch (RuntimeException e) {
                                LOG.warn("webhook delivery {} failed to record: {}", delivery.deliveryId(), e.toString());
                            } finally {
                                slots.release();
                                wake();
                            }
                        });
                    }
                    full = claimed.size() == limit;
                }
            } catch (RuntimeException e) {
                LOG.warn("webhook claim failed; retrying on the next poll: {}", e.toString());
            }
            synchronized (signal) {
                if (!full && !woken && running) {
                    try {
                        signal.wait(poll);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    private void purge() {
        try {
            long removed = log.purgeOlderThan(settings.retention());
            if (removed > 0) {
                LOG.info("webhook retention purge removed {} rows", removed);
            }
        } catch (RuntimeException e) {
            LOG.warn("webhook retention purge failed: {}", e.toString());
        }
    }

    /** Claims one batch of due deliveries and attempts each; returns how many were attempted. */
    public int runOnce() {
        Instant now = clock.instant();
        List<WebhookDeliveries.Claimed> batch = deliveries.claimDue(now, BATCH, now.plus(LEASE));
        if (batch.size() == 1) {
            attempt(batch.getFirst(), deliveries::recordSuccess);
        } else if (!batch.isEmpty()) {
            try (var parallel = Executors.newVirtualThreadPerTaskExecutor()) {
                for (WebhookDeliveries.Claimed claimed : batch) {
                    parallel.submit(() -> {
                        try {
                            attempt(claimed, deliveries::recordSuccess);
                        } catch (RuntimeException e) {
                            LOG.warn("webhook delivery {} failed to record: {}", claimed.deliveryId(), e.toString());
                        }
                    });
                }
            } // waits for every attempt of the batch
        }
        return batch.size();
    }

    /** Posts one delivery; a success goes to {@code recordSuccess}, a failure is recorded at once with its retry. */
    private void attempt(WebhookDeliveries.Claimed claimed, Consumer<WebhookDeliveries.Attempt> recordSuccess) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        int number = claimed.attemptsSoFar() + 1;
        var endpoint = claimed.endpoint();
        var event = claimed.event();
        OptionalInt code = OptionalInt.empty();
        Optional<String> excerpt = Optional.empty();
        Optional<String> error = Optional.empty();
        long started = System.nanoTime();
        // Checked again at send time: DNS may have changed since the endpoint was registered. The POST goes to an
        // address this check accepted; the host is not resolved again (DNS rebinding, D-W7).
        DestinationCheck check = destinations.check(endpoint.url());
        if (check instanceof DestinationCheck.Refused refused) {
            error = Optional.of(refused.reason());
        } else if (check instanceof DestinationCheck.Allowed allowed) {
            byte[] body = event.toJson().getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = WebhookSigner.headers(event.id(), now, body,
                    endpoints.signingSecrets(endpoint, now));
            try {
                Transport.Response response = transport.post(allowed.destination(), headers, body);
                code = OptionalInt.of(response.status());
                excerpt = Optional.of(new String(response.bodyExcerpt(), StandardCharsets.UTF_8));
            } catch (SocketTimeoutException e) {
                error = Optional.of("timeout after " + PinnedHttpTransport.TIMEOUT.toSeconds() + " s");
            } catch (IOException | IllegalArgumentException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return; // stopping: the lease expires and another worker (or this node after restart) retries
                }
                error = Optional.of(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
        }
        long latency = Duration.ofNanos(System.nanoTime() - started).toMillis();
        boolean succeeded = code.isPresent() && code.getAsInt() >= 200 && code.getAsInt() < 300;
        var attempt = new WebhookDeliveries.Attempt(0, claimed.deliveryId(), endpoint.environmentId(), endpoint.id(),
                event.id(), event.type(), number, now, succeeded, code, latency, excerpt, error);
        if (succeeded) {
            recordSuccess.accept(attempt);
            return;
        }
        Optional<Instant> retryAt = schedule.nextAttempt(number, now);
        Instant failingSince = deliveries.recordFailure(attempt, retryAt);
        if (!failingSince.plus(schedule.disableAfter()).isAfter(now)) {
            if (endpoints.disableForFailures(endpoint.environmentId(), endpoint.id(), now.minus(schedule.disableAfter()))) {
                LOG.warn("webhook endpoint {} disabled: failing since {}", endpoint.id(), failingSince);
            }
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        wake();
        if (claimer != null) {
            claimer.interrupt();
            join(claimer);
            claimer = null;
        }
        if (inFlight != null) {
            inFlight.shutdownNow();
            await(inFlight);
            inFlight = null;
        }
        if (recorder != null) {
            join(recorder); // records what the finished deliveries left, then stops
            recorder = null;
        }
        if (executor != null) {
            executor.shutdownNow();
            await(executor);
            executor = null;
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(ExecutorService service) {
        try {
            service.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
