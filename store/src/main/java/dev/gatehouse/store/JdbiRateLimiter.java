package dev.gatehouse.store;

import dev.gatehouse.core.ratelimit.RateLimit;
import dev.gatehouse.core.ratelimit.RateLimiter;
import dev.gatehouse.core.ratelimit.SlidingWindowLog;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The rate limiter every node shares: one {@code rate_limit_buckets} row per (environment, key), locked
 * with {@code SELECT … FOR UPDATE} while its hit log is read and written, so two nodes counting the same
 * key are serialized and the limit holds exactly. Runs in the caller's transaction, or its own. Rows
 * whose window has passed are purged every {@value #PURGE_EVERY} calls.
 */
public final class JdbiRateLimiter implements RateLimiter {
    static final int PURGE_EVERY = 500;

    private final JdbiTransactions tx;
    private final Clock clock;
    private final AtomicLong calls = new AtomicLong();

    public JdbiRateLimiter(JdbiTransactions tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public Decision acquire(String environmentId, String key, RateLimit limit) {
        Instant now = clock.instant();
        if (calls.incrementAndGet() % PURGE_EVERY == 0) {
            purgeExpired(now);
        }
        return tx.inTransaction(() -> tx.withHandle(h -> {
            // Make sure the row exists (a concurrent insert is a no-op), then lock it.
            h.createUpdate("""
                            insert into rate_limit_buckets (environment_id, bucket_key, hits, expires_at)
                            values (:env, :key, '', :now) on conflict do nothing""")
                    .bind("env", environmentId).bind("key", key).bind("now", Timestamps.bind(now)).execute();
            String stored = h.createQuery("""
                            select hits from rate_limit_buckets where environment_id = :env and bucket_key = :key for update""")
                    .bind("env", environmentId).bind("key", key).mapTo(String.class).one();
            SlidingWindowLog.Step step = SlidingWindowLog.step(parse(stored), now, limit);
            h.createUpdate("""
                            update rate_limit_buckets set hits = :hits, expires_at = :expires
                            where environment_id = :env and bucket_key = :key""")
                    .bind("hits", format(step.hits()))
                    .bind("expires", Timestamps.bind(SlidingWindowLog.expiry(step.hits(), now, limit)))
                    .bind("env", environmentId).bind("key", key).execute();
            return step.decision();
        }));
    }

    /** Forgets every row whose newest hit has left its window; how many. */
    public int purgeExpired(Instant now) {
        return tx.withHandle(h -> h.createUpdate("delete from rate_limit_buckets where expires_at < :now")
                .bind("now", Timestamps.bind(now)).execute());
    }

    private static List<Instant> parse(String hits) {
        if (hits.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(hits.split(",")).map(ms -> Instant.ofEpochMilli(Long.parseLong(ms))).toList();
    }

    private static String format(List<Instant> hits) {
        return hits.stream().map(i -> Long.toString(i.toEpochMilli())).collect(Collectors.joining(","));
    }
}
