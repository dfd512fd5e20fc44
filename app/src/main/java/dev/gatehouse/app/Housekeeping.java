package dev.gatehouse.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hourly clean-up of rows nothing needs any more, on every node (the deletes are idempotent): finished login
 * attempts, sessions ended 30 days ago (with their grants), expired codes and refresh tokens, SAML assertion
 * IDs past their replay window, and expired admin portal links and portal sessions.
 */
final class Housekeeping implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofHours(1);
    static final Duration FIRST_RUN = Duration.ofMinutes(1);
    static final Duration ENDED_SESSION_RETENTION = Duration.ofDays(30);
    static final Duration EXPIRED_TOKEN_RETENTION = Duration.ofDays(1);
    static final int REPLAY_PURGE_BATCH = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final Wiring wiring;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "gatehouse-housekeeping");
        thread.setDaemon(true);
        return thread;
    });

    Housekeeping(Wiring wiring, Clock clock) {
        this.wiring = wiring;
        this.clock = clock;
    }

    void start() {
        scheduler.scheduleWithFixedDelay(this::runOnce, FIRST_RUN.toSeconds(), INTERVAL.toSeconds(), TimeUnit.SECONDS);
    }

    /** One pass; each step on its own, so one failure does not stop the others. */
    void runOnce() {
        Instant now = clock.instant();
        step("login attempts", () -> wiring.loginTransactions.deleteExpired(now.minus(EXPIRED_TOKEN_RETENTION)));
        step("ended sessions", () -> wiring.sessionRepository.deleteEndedBefore(now.minus(ENDED_SESSION_RETENTION)));
        step("expired codes and refresh tokens",
                () -> wiring.grantRepository.deleteExpiredBefore(now.minus(EXPIRED_TOKEN_RETENTION)));
        step("SAML assertion IDs", () -> wiring.samlReplayCache.purgeExpired(now, REPLAY_PURGE_BATCH));
        step("portal sessions", () -> wiring.portalSessionRepository.deleteExpiredBefore(now));
        step("connection tests", wiring.connectionTests::purgeExpired);
        step("portal links", () -> wiring.portalLinkRepository.deleteExpiredBefore(now.minus(EXPIRED_TOKEN_RETENTION)));
    }

    private static void step(String what, java.util.function.IntSupplier work) {
        try {
            int deleted = work.getAsInt();
            if (deleted > 0) {
                LOG.info("housekeeping: deleted {} {}", deleted, what);
            }
        } catch (RuntimeException e) {
            LOG.warn("housekeeping of {} failed; retried in an hour", what, e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
