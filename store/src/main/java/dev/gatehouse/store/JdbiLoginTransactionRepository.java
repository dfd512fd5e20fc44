package dev.gatehouse.store;

import dev.gatehouse.core.login.AuthorizeRequest;
import dev.gatehouse.core.login.LoginStep;
import dev.gatehouse.core.login.LoginTransaction;
import dev.gatehouse.core.login.LoginTransactionRepository;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

public final class JdbiLoginTransactionRepository implements LoginTransactionRepository {
    private static final RowMapper<LoginTransaction> MAPPER = (rs, ctx) -> new LoginTransaction(
            rs.getString("id"),
            rs.getString("environment_id"),
            AuthorizeRequest.fromMap(JsonColumns.readMap(rs.getString("request_json"))),
            LoginStep.valueOf(rs.getString("step")),
            Optional.ofNullable(rs.getString("email")),
            Optional.ofNullable(rs.getString("user_id")),
            Optional.ofNullable(rs.getString("challenge_id")),
            Optional.ofNullable(rs.getString("connection_id")),
            rs.getString("amr") == null ? java.util.List.of() : JsonColumns.readList(rs.getString("amr")),
            rs.getString("browser_sha256"),
            rs.getInt("failed_attempts"),
            Timestamps.read(rs, "create_time"),
            Timestamps.read(rs, "update_time"),
            Timestamps.read(rs, "expire_time"));

    private final JdbiTransactions tx;

    public JdbiLoginTransactionRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    /**
     * On PostgreSQL, outside an enclosing transaction, a new login is committed without waiting for its WAL flush
     * (docs/DECISIONS.md D-RB4): {@code set_config(…, true)} applies to this statement's own transaction only. A
     * database crash can lose logins started in the last fraction of a second; their browsers are then told to start
     * again. Inside an enclosing transaction the insert commits with it, durably.
     */
    private static final String INSERT_ASYNC_COMMIT = """
            insert into login_transactions (id, environment_id, client_id, request_json, step, email, user_id,
                challenge_id, connection_id, amr, browser_sha256, failed_attempts, create_time, update_time, expire_time)
            select :id, :env, :client, :request, :step, :email, :user, :challenge, :connection, :amr, :browser, :failed,
                :created, :updated, :expires
            where set_config('synchronous_commit', 'off', true) is not null""";
    private static final String INSERT = """
            insert into login_transactions (id, environment_id, client_id, request_json, step, email, user_id,
                challenge_id, connection_id, amr, browser_sha256, failed_attempts, create_time, update_time, expire_time)
            values (:id, :env, :client, :request, :step, :email, :user, :challenge, :connection, :amr, :browser, :failed,
                :created, :updated, :expires)""";

    @Override
    public void insert(LoginTransaction t) {
        String sql = !tx.inTransaction() && tx.onPostgres() ? INSERT_ASYNC_COMMIT : INSERT;
        int inserted = tx.withHandle(h -> h.createUpdate(sql)
                .bind("id", t.id()).bind("env", t.environmentId()).bind("client", t.request().clientId())
                .bind("request", JsonColumns.write(t.request().toMap())).bind("step", t.step().name())
                .bind("email", t.email().orElse(null)).bind("user", t.userId().orElse(null))
                .bind("challenge", t.challengeId().orElse(null)).bind("browser", t.browserHash())
                .bind("connection", t.connectionId().orElse(null)).bind("amr", JsonColumns.write(t.amr()))
                .bind("failed", t.failedAttempts()).bind("created", Timestamps.bind(t.createTime()))
                .bind("updated", Timestamps.bind(t.updateTime())).bind("expires", Timestamps.bind(t.expireTime()))
                .execute());
        if (inserted != 1) {
            throw new IllegalStateException("login transaction " + t.id() + " was not inserted");
        }
    }

    @Override
    public Optional<LoginTransaction> find(String environmentId, String id) {
        return tx.withHandle(h -> h.createQuery("select * from login_transactions where environment_id = :env and id = :id")
                .bind("env", environmentId).bind("id", id).map(MAPPER).findOne());
    }

    @Override
    public boolean update(LoginTransaction t, LoginStep expectedStep) {
        return tx.withHandle(h -> h.createUpdate("""
                        update login_transactions set step = :step, email = :email, user_id = :user,
                            challenge_id = :challenge, connection_id = :connection, amr = :amr,
                            failed_attempts = :failed, update_time = :updated
                        where environment_id = :env and id = :id and step = :expected""")
                .bind("env", t.environmentId()).bind("id", t.id()).bind("step", t.step().name())
                .bind("email", t.email().orElse(null)).bind("user", t.userId().orElse(null))
                .bind("challenge", t.challengeId().orElse(null)).bind("failed", t.failedAttempts())
                .bind("connection", t.connectionId().orElse(null)).bind("amr", JsonColumns.write(t.amr()))
                .bind("updated", Timestamps.bind(t.updateTime())).bind("expected", expectedStep.name())
                .execute()) == 1;
    }

    @Override
    public int deleteExpired(Instant now) {
        return tx.withHandle(h -> h.createUpdate("delete from login_transactions where expire_time < :now")
                .bind("now", Timestamps.bind(now)).execute());
    }
}
