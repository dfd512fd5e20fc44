package dev.gatehouse.store;

import dev.gatehouse.core.event.Event;
import dev.gatehouse.core.webhook.WebhookDeliveries;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The delivery queue on H2 and PostgreSQL. Claiming runs {@code SELECT … FOR UPDATE SKIP LOCKED} (on H2
 * in two steps, see {@link #claimDue}) and sets a lease in the same short transaction, so the HTTP call
 * happens without holding a lock or a connection. A worker that dies leaves its lease to expire and
 * another worker retries the delivery: at-least-once.
 */
public final class JdbiWebhookDeliveries implements WebhookDeliveries {
    private static final int EXCERPT_MAX = 1024;
    private static final RowMapper<Attempt> ATTEMPT = (rs, ctx) -> {
        int code = rs.getInt("response_code");
        OptionalInt responseCode = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(code);
        return new Attempt(rs.getLong("id"), rs.getLong("delivery_id"), rs.getString("environment_id"),
                rs.getString("endpoint_id"), rs.getString("event_id"), rs.getString("event_type"),
                rs.getInt("attempt_number"), Timestamps.read(rs, "attempt_time"), rs.getBoolean("succeeded"), responseCode,
                rs.getLong("latency_millis"), Optional.ofNullable(rs.getString("response_excerpt")),
                Optional.ofNullable(rs.getString("error")));
    };

    private static final String DUE = """
            select d.id from webhook_deliveries d
            where d.status = 'PENDING' and d.next_attempt_at <= :now
              and (d.lease_until is null or d.lease_until <= :now)
              and exists (select 1 from webhook_endpoints e where e.id = d.endpoint_id and e.enabled = true)
              and not exists (select 1 from webhook_deliveries p
                              where p.endpoint_id = d.endpoint_id and p.order_key = d.order_key
                                and p.status = 'PENDING' and p.event_seq < d.event_seq)
            """;

    private final JdbiTransactions tx;
    private volatile Boolean postgres;

    public JdbiWebhookDeliveries(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public List<Claimed> claimDue(Instant now, int limit, Instant leaseUntil) {
        // Microseconds: what both databases keep, so a lease compares equal to the instant it was set for.
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        Instant until = leaseUntil.truncatedTo(ChronoUnit.MICROS);
        return tx.inTransaction(() -> tx.withHandle(h -> {
            List<Long> ids;
            if (isPostgres(h)) {
                // PostgreSQL locks rows as the LIMIT pulls them, skipping rows other claimers hold.
                // Due-time order walks webhook_deliveries_claim (V0023) and stops after :limit rows.
                ids = h.createQuery(DUE + " order by d.next_attempt_at, d.id limit :limit for update of d skip locked")
                        .bind("now", Timestamps.bind(at)).bind("limit", limit).mapTo(Long.class).list();
            } else {
                // H2 locks every row it reads before sorting, so one statement would lock the whole
                // queue: read the candidates without locks, then lock just those, skipping held ones,
                // and re-check under the lock that they are still due and unleased.
                List<Long> candidates = h.createQuery(DUE + " order by d.next_attempt_at, d.id limit :limit")
                        .bind("now", Timestamps.bind(at)).bind("limit", limit).mapTo(Long.class).list();
                ids = candidates.isEmpty() ? List.of() : h.createQuery("""
                                select id from webhook_deliveries
                                where id in (<ids>) and status = 'PENDING' and (lease_until is null or lease_until <= :now)
                                for update skip locked""")
                        .bindList("ids", candidates).bind("now", Timestamps.bind(at)).mapTo(Long.class).list();
            }
            if (ids.isEmpty()) {
                return List.<Claimed>of();
            }
            // The due time moves to the lease's end: leased rows leave the front of the queue that the
            // next claim reads, and come back to it by themselves if this worker dies.
            h.createUpdate("update webhook_deliveries set lease_until = :until, next_attempt_at = :until where id in (<ids>)")
                    .bind("until", Timestamps.bind(until)).bindList("ids", ids).execute();
            return h.createQuery("""
                            select d.id as delivery_id, d.attempts,
                                   v.id as ev_id, v.environment_id as ev_environment_id, v.organization_id as ev_organization_id,
                                   v.object as ev_object, v.type as ev_type, v.occurred_at as ev_occurred_at, v.data as ev_data,
                                   e.id as ep_id, e.environment_id as ep_environment_id, e.url as ep_url,
                                   e.description as ep_description, e.event_types as ep_event_types, e.enabled as ep_enabled,
                                   e.sealed_secret as ep_sealed_secret, e.sealed_previous_secret as ep_sealed_previous_secret,
                                   e.previous_secret_expires_at as ep_previous_secret_expires_at,
                                   e.failing_since as ep_failing_since, e.disabled_reason as ep_disabled_reason,
                                   e.create_time as ep_create_time, e.update_time as ep_update_time
                            from webhook_deliveries d
                            join events v on v.seq = d.event_seq
                            join webhook_endpoints e on e.id = d.endpoint_id
                            where d.id in (<ids>)
                            order by d.event_seq, d.id""")
                    .bindList("ids", ids)
                    .map((rs, ctx) -> new Claimed(rs.getLong("delivery_id"),
                            JdbiWebhookEndpointRepository.read(rs, "ep_"),
                            new Event(rs.getString("ev_id"), rs.getString("ev_object"), rs.getString("ev_environment_id"),
                                    Optional.ofNullable(rs.getString("ev_organization_id")),
                                    Timestamps.read(rs, "ev_occurred_at"), rs.getString("ev_type"), rs.getString("ev_data")),
                            rs.getInt("attempts")))
                    .list();
        }));
    }

    @Override
    public void recordSuccess(Attempt attempt) {
        recordSuccesses(List.of(attempt));
    }

    /** One transaction for the batch: attempts inserted, deliveries finished, endpoints' failure state cleared. */
    @Override
    public void recordSuccesses(List<Attempt> attempts) {
        if (attempts.isEmpty()) {
            return;
        }
        tx.inTransaction(() -> tx.withHandle(h -> {
            insertAttempts(h, attempts);
            var finish = h.prepareBatch("""
                    update webhook_deliveries set status = 'SUCCEEDED', attempts = :n, lease_until = null,
                        finish_time = :now where id = :id""");
            for (Attempt attempt : attempts) {
                finish.bind("n", attempt.attemptNumber()).bind("now", Timestamps.bind(attempt.time()))
                        .bind("id", attempt.deliveryId()).add();
            }
            finish.execute();
            h.createUpdate("update webhook_endpoints set failing_since = null where id in (<ids>) and failing_since is not null")
                    .bindList("ids", attempts.stream().map(Attempt::endpointId).distinct().toList()).execute();
            return null;
        }));
    }

    @Override
    public Instant recordFailure(Attempt attempt, Optional<Instant> retryAt) {
        return tx.inTransaction(() -> tx.withHandle(h -> {
            insertAttempt(attempt);
            h.createUpdate("""
                            update webhook_deliveries set status = :status, attempts = :n, lease_until = null,
                                next_attempt_at = coalesce(:retry, next_attempt_at), finish_time = :finish where id = :id""")
                    .bind("status", retryAt.isPresent() ? "PENDING" : "FAILED")
                    .bind("n", attempt.attemptNumber())
                    .bind("retry", Timestamps.bind(retryAt.orElse(null)))
                    .bind("finish", Timestamps.bind(retryAt.isPresent() ? null : attempt.time()))
                    .bind("id", attempt.deliveryId()).execute();
            h.createUpdate("update webhook_endpoints set failing_since = :now where id = :id and failing_since is null")
                    .bind("now", Timestamps.bind(attempt.time())).bind("id", attempt.endpointId()).execute();
            return h.createQuery("select failing_since from webhook_endpoints where id = :id")
                    .bind("id", attempt.endpointId())
                    .map((rs, ctx) -> Timestamps.read(rs, "failing_since")).findOne().orElse(attempt.time());
        }));
    }

    private void insertAttempt(Attempt a) {
        tx.withHandle(h -> {
            insertAttempts(h, List.of(a));
            return null;
        });
    }

    private static void insertAttempts(org.jdbi.v3.core.Handle h, List<Attempt> attempts) {
        var insert = h.prepareBatch("""
                insert into webhook_attempts (environment_id, endpoint_id, delivery_id, event_id, event_type,
                    attempt_number, attempt_time, succeeded, response_code, latency_millis, response_excerpt, error)
                values (:env, :endpoint, :delivery, :event, :type, :n, :time, :ok, :code, :latency, :excerpt, :error)""");
        for (Attempt a : attempts) {
            insert.bind("env", a.environmentId()).bind("endpoint", a.endpointId()).bind("delivery", a.deliveryId())
                    .bind("event", a.eventId()).bind("type", a.eventType()).bind("n", a.attemptNumber())
                    .bind("time", Timestamps.bind(a.time())).bind("ok", a.succeeded())
                    .bind("code", a.responseCode().isPresent() ? (Integer) a.responseCode().getAsInt() : null)
                    .bind("latency", a.latencyMillis())
                    .bind("excerpt", a.responseExcerpt().map(s -> truncate(s, EXCERPT_MAX)).orElse(null))
                    .bind("error", a.error().map(s -> truncate(s, 300)).orElse(null))
                    .add();
        }
        insert.execute();
    }

    @Override
    public List<Attempt> attempts(String environmentId, String endpointId, int limit, long beforeId) {
        return tx.withHandle(h -> h.createQuery("""
                        select * from webhook_attempts where environment_id = :env and endpoint_id = :endpoint and id < :before
                        order by id desc limit :limit""")
                .bind("env", environmentId).bind("endpoint", endpointId).bind("before", beforeId).bind("limit", limit)
                .map(ATTEMPT).list());
    }

    @Override
    public boolean resend(String environmentId, String endpointId, String eventId, Instant now) {
        return tx.withHandle(h -> h.createUpdate("""
                        insert into webhook_deliveries (environment_id, endpoint_id, event_seq, order_key, status, attempts,
                                                        next_attempt_at, create_time)
                        select v.environment_id, e.id, v.seq, coalesce(v.organization_id, ''), 'PENDING', 0, :now, :now
                        from events v join webhook_endpoints e on e.environment_id = v.environment_id
                        where v.environment_id = :env and v.id = :event and e.id = :endpoint""")
                .bind("env", environmentId).bind("event", eventId).bind("endpoint", endpointId)
                .bind("now", Timestamps.bind(now)).execute()) == 1;
    }

    @Override
    public long purge(Instant before) {
        return tx.inTransaction(() -> tx.withHandle(h -> {
            var cutoff = Timestamps.bind(before);
            long n = h.createUpdate("delete from webhook_attempts where attempt_time < :before").bind("before", cutoff).execute();
            n += h.createUpdate("delete from webhook_deliveries where status <> 'PENDING' and finish_time < :before")
                    .bind("before", cutoff).execute();
            n += h.createUpdate("""
                            delete from events where occurred_at < :before
                              and not exists (select 1 from webhook_deliveries d where d.event_seq = events.seq)""")
                    .bind("before", cutoff).execute();
            return n;
        }));
    }

    private boolean isPostgres(org.jdbi.v3.core.Handle h) {
        Boolean known = postgres;
        if (known == null) {
            try {
                known = h.getConnection().getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
                        .contains("postgres");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            postgres = known;
        }
        return known;
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }
}
