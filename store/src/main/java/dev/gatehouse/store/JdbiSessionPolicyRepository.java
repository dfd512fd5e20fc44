package dev.gatehouse.store;

import dev.gatehouse.core.sessionpolicy.OrganizationSessionPolicy;
import dev.gatehouse.core.sessionpolicy.SessionPolicyRepository;
import dev.gatehouse.core.sessionpolicy.SessionPolicySource;
import dev.gatehouse.core.sessionpolicy.SessionTimeUnit;
import dev.gatehouse.core.sessionpolicy.SessionTimeout;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

public final class JdbiSessionPolicyRepository implements SessionPolicyRepository {
    private final JdbiTransactions tx;

    public JdbiSessionPolicyRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<OrganizationSessionPolicy> find(String environmentId, String organizationId) {
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

    private static Optional<SessionTimeout> timeout(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        if (rs.wasNull()) {
            return Optional.empty();
        }
        return Optional.of(new SessionTimeout(value, SessionTimeUnit.valueOf(rs.getString(column + "_unit"))));
    }
}
