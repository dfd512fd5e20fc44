package dev.gatehouse.store;

import dev.gatehouse.core.connection.ConnectionTest;
import dev.gatehouse.core.connection.ConnectionTestRepository;
import dev.gatehouse.core.connection.ConnectionTestStatus;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

public final class JdbiConnectionTestRepository implements ConnectionTestRepository {
    private static final RowMapper<ConnectionTest> MAPPER = (rs, ctx) -> new ConnectionTest(
            rs.getString("id"),
            rs.getString("environment_id"),
            Optional.ofNullable(rs.getString("organization_id")),
            rs.getString("connection_id"),
            rs.getString("login_id"),
            ConnectionTestStatus.valueOf(rs.getString("status")),
            Optional.ofNullable(rs.getString("profile")).map(JsonColumns::readMap).orElse(java.util.Map.of()),
            Optional.ofNullable(rs.getString("raw_attributes")).map(JsonColumns::readMap).orElse(java.util.Map.of()),
            Optional.ofNullable(rs.getString("error")),
            Optional.ofNullable(rs.getString("error_description")),
            Optional.ofNullable(rs.getString("error_details")),
            Timestamps.read(rs, "create_time"),
            Timestamps.read(rs, "update_time"),
            Timestamps.read(rs, "expire_time"));

    private final JdbiTransactions tx;

    public JdbiConnectionTestRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(ConnectionTest test) {
        tx.withHandle(h -> h.createUpdate("""
                        insert into connection_tests (id, environment_id, organization_id, connection_id, login_id, status,
                            create_time, update_time, expire_time)
                        values (:id, :env, :org, :connection, :login, :status, :created, :updated, :expires)""")
                .bind("id", test.id()).bind("env", test.environmentId()).bind("org", test.organizationId().orElse(null))
                .bind("connection", test.connectionId()).bind("login", test.loginId()).bind("status", test.status().name())
                .bind("created", Timestamps.bind(test.createTime())).bind("updated", Timestamps.bind(test.updateTime()))
                .bind("expires", Timestamps.bind(test.expireTime()))
                .execute());
    }

    @Override
    public Optional<ConnectionTest> find(String environmentId, String connectionId, String testId) {
        return tx.withHandle(h -> h.createQuery("""
                        select * from connection_tests where environment_id = :env and connection_id = :connection
                        and id = :id""")
                .bind("env", environmentId).bind("connection", connectionId).bind("id", testId).map(MAPPER).findOne());
    }

    @Override
    public Optional<ConnectionTest> findByLogin(String environmentId, String loginId) {
        return tx.withHandle(h -> h.createQuery(
                        "select * from connection_tests where environment_id = :env and login_id = :login")
                .bind("env", environmentId).bind("login", loginId).map(MAPPER).findOne());
    }

    /** Only a pending test takes a result, so a late or repeated answer cannot overwrite the first one. */
    @Override
    public boolean complete(ConnectionTest finished) {
        return tx.withHandle(h -> h.createUpdate("""
                        update connection_tests set status = :status, profile = :profile, raw_attributes = :raw,
                            error = :error, error_description = :description, error_details = :details,
                            update_time = :updated
                        where environment_id = :env and id = :id and status = 'PENDING'""")
                .bind("status", finished.status().name())
                .bind("profile", finished.profile().isEmpty() ? null : JsonColumns.write(
                        finished.profile().entrySet().stream().collect(java.util.stream.Collectors.toMap(
                                java.util.Map.Entry::getKey, e -> cut(e.getValue(), 1024)))))
                .bind("raw", finished.rawAttributes().isEmpty() ? null
                        : JdbiUserIdentityRepository.rawAttributes(finished.rawAttributes()))
                .bind("error", finished.error().map(v -> cut(v, 128)).orElse(null))
                .bind("description", finished.errorDescription().map(v -> cut(v, 1024)).orElse(null))
                .bind("details", finished.errorDetails().map(v -> cut(v, 4096)).orElse(null))
                .bind("updated", Timestamps.bind(finished.updateTime()))
                .bind("env", finished.environmentId()).bind("id", finished.id())
                .execute()) == 1;
    }

    @Override
    public int deleteExpiredBefore(Instant cutoff) {
        return tx.withHandle(h -> h.createUpdate("delete from connection_tests where expire_time < :cutoff")
                .bind("cutoff", Timestamps.bind(cutoff)).execute());
    }

    private static String cut(String value, int max) {
        return value.length() > max ? value.substring(0, max) : value;
    }
}
