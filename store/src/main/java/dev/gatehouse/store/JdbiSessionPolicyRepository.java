package dev.gatehouse.store;

import dev.gatehouse.core.sessionpolicy.OrganizationSessionPolicy;
import dev.gatehouse.core.sessionpolicy.SessionPolicyRepository;
import dev.gatehouse.core.sessionpolicy.SessionPolicySource;
import dev.gatehouse.core.sessionpolicy.SessionTimeUnit;
import dev.gatehouse.core.sessionpolicy.SessionTimeout;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Organizations' session policies. A policy read outside a transaction is remembered for {@link #CACHED_FOR} per
 * organization (a warm-session sign-in reads it every time, D-TP10); a save on this node forgets it once its
 * transaction has ended, and a read that overlapped a save is not remembered. Another node sees a change within
 * {@link #CACHED_FOR}; the sessions a change shortens are shortened in storage at once (D-AP6).
 */
public final class JdbiSessionPolicyRepository implements SessionPolicyRepository {
    static final Duration CACHED_FOR = Duration.ofSeconds(5);
    /** Entries kept at most; the memory is cleared when it is full (rebuilt by the next reads). */
    static final int MAX_CACHED = 10_000;

    private final JdbiTransactions tx;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** Moved on by every save, before and after it: a read that saw it move is not remembered. */
    private final AtomicLong generation = new AtomicLong();

    private record Cached(Optional<OrganizationSessionPolicy> policy, long loadedAt) {}

    public JdbiSessionPolicyRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<OrganizationSessionPolicy> find(String environmentId, String organizationId) {
        if (tx.inTransaction()) {
            return read(environmentId, organizationId); // may see this transaction's own write: never remembered
        }
        String key = environmentId + "/" + organizationId;
        long now = System.nanoTime();
        Cached cached = cache.get(key);
        if (cached != null && now - cached.loadedAt() < CACHED_FOR.toNanos()) {
            return cached.policy();
        }
        long before = generation.get();
        Optional<OrganizationSessionPolicy> policy = read(environmentId, organizationId);
        if (generation.get() == before) {
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(key, new Cached(policy, now));
        }
        return policy;
    }

    private Optional<OrganizationSessionPolicy> read(String environmentId, String organizationId) {
        return tx.withHandle(h -> h.createQuery("""
                        select * from organization_session_policies
                        where environment_id = :env and organization_id = :org""")
                .bind("env", environmentId).bind("org", organizationId)
                .map((rs, ctx) -> new OrganizationSessionPolicy(rs.getString("environment_id"),
                        rs.getString("organization_id"), SessionPolicySource.valueOf(rs.getString("policy_source")),
                        timeout(rs, "absolute_timeout"), rs.getBoolean("idle_timeout_enabled"),
                        timeout(rs, "idle_timeout"), Optional.of(Timestamps.read(rs, "update_time"))))
                .findOne());
    }

    @Override
    public void save(OrganizationSessionPolicy policy) {
        String key = policy.environmentId() + "/" + policy.organizationId();
        forget(key);
        tx.afterTransaction(() -> forget(key));
        tx.inTransaction(() -> tx.withHandle(h -> {
            h.createUpdate("delete from organization_session_policies where environment_id = :env and organization_id = :org")
                    .bind("env", policy.environmentId()).bind("org", policy.organizationId()).execute();
            return h.createUpdate("""
                            insert into organization_session_policies (organization_id, environment_id, policy_source,
                                absolute_timeout, absolute_timeout_unit, idle_timeout_enabled, idle_timeout,
                                idle_timeout_unit, update_time)
                            values (:org, :env, :source, :absolute, :absolute_unit, :idle_enabled, :idle, :idle_unit,
                                :updated)""")
                    .bind("org", policy.organizationId()).bind("env", policy.environmentId())
                    .bind("source", policy.source().name())
                    .bind("absolute", policy.absolute().map(SessionTimeout::value).orElse(null))
                    .bind("absolute_unit", policy.absolute().map(t -> t.unit().name()).orElse(null))
                    .bind("idle_enabled", policy.idleEnabled())
                    .bind("idle", policy.idle().map(SessionTimeout::value).orElse(null))
                    .bind("idle_unit", policy.idle().map(t -> t.unit().name()).orElse(null))
                    .bind("updated", Timestamps.bind(policy.updateTime().orElseThrow()))
                    .execute();
        }));
    }

    private void forget(String key) {
        generation.incrementAndGet();
        cache.remove(key);
    }

    private static Optional<SessionTimeout> timeout(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        if (rs.wasNull()) {
            return Optional.empty();
        }
        return Optional.of(new SessionTimeout(value, SessionTimeUnit.valueOf(rs.getString(column + "_unit"))));
    }
}
