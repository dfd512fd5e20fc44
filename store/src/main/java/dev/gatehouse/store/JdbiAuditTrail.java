package dev.gatehouse.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.mapper.RowMapper;

public final class JdbiAuditTrail implements AuditTrail {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REASON_MAX = 1000;
    private static final RowMapper<AuditRecord> MAPPER = (rs, ctx) -> new AuditRecord(
            Timestamps.read(rs, "record_time"),
            Optional.ofNullable(rs.getString("environment_id")),
            Optional.ofNullable(rs.getString("organization_id")),
            rs.getString("type"),
            AuditRecord.Outcome.valueOf(rs.getString("outcome")),
            Optional.ofNullable(rs.getString("actor")),
            Optional.ofNullable(rs.getString("reason")),
            Optional.ofNullable(rs.getString("remote_address")),
            readAttributes(rs.getString("attributes")));

    private final JdbiTransactions tx;

    public JdbiAuditTrail(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void append(AuditRecord record) {
        tx.withHandle(h -> h.createUpdate("""
                        insert into audit_records (environment_id, organization_id, record_time, type, outcome, actor,
                                                   reason, remote_address, attributes)
                        values (:env, :org, :time, :type, :outcome, :actor, :reason, :remote, :attributes)""")
                .bind("env", record.environmentId().orElse(null))
                .bind("org", record.organizationId().orElse(null))
                .bind("time", Timestamps.bind(record.time()))
                .bind("type", record.type())
                .bind("outcome", record.outcome().name())
                .bind("actor", record.actor().map(a -> truncate(a, 255)).orElse(null))
                .bind("reason", record.reason().map(r -> truncate(r, REASON_MAX)).orElse(null))
                .bind("remote", record.remoteAddress().map(a -> truncate(a, 64)).orElse(null))
                .bind("attributes", writeAttributes(record.attributes()))
                .execute());
    }

    @Override
    public List<AuditRecord> recent(String environmentId, Optional<String> type, Instant since, int limit) {
        String sql = "select * from audit_records where environment_id = :env"
                + " and record_time >= :since" + (type.isPresent() ? " and type = :type" : "")
                + " order by id desc limit :limit";
        return tx.withHandle(h -> {
            var query = h.createQuery(sql).bind("env", environmentId).bind("since", Timestamps.bind(since))
                    .bind("limit", limit);
            type.ifPresent(t -> query.bind("type", t));
            return query.map(MAPPER).list();
        });
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }

    private static String writeAttributes(Map<String, String> attributes) {
        try {
            String json = JSON.writeValueAsString(new TreeMap<>(attributes));
            return json.length() <= 4000 ? json : "{}";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> readAttributes(String json) {
        try {
            return JSON.readValue(json, new TypeReference<TreeMap<String, String>>() {});
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
