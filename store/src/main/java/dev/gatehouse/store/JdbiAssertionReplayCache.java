package dev.gatehouse.store;

import dev.gatehouse.core.sso.AssertionReplayCache;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The replay cache in table {@code saml_assertion_ids}. {@code insert … on conflict do nothing} on the
 * primary key decides the first use atomically, on H2 and PostgreSQL, without aborting an enclosing
 * PostgreSQL transaction the way a caught unique violation would.
 */
public final class JdbiAssertionReplayCache implements AssertionReplayCache {
    private static final String INSERT = """
            insert into saml_assertion_ids (environment_id, connection_id, assertion_id, expire_time)
            values (?, ?, ?, ?)
            on conflict do nothing""";

    private final JdbiTransactions tx;

    public JdbiAssertionReplayCache(JdbiTransactions tx) {
        this.tx = tx;
    }

    /**
     * Runs once per SAML response at the ACS: a plain JDBC prepared statement on the handle's connection, without
     * Jdbi's statement machinery (argument binders, statement context), which cost about as much as the insert.
     */
    @Override
    public boolean firstUse(String environmentId, String connectionId, String assertionId, Instant expiresAt) {
        int inserted = tx.withHandle(h -> {
            try (PreparedStatement insert = h.getConnection().prepareStatement(INSERT)) {
                insert.setString(1, environmentId);
                insert.setString(2, connectionId);
                insert.setString(3, assertionId);
                insert.setObject(4, Timestamps.bind(expiresAt));
                return insert.executeUpdate();
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException(e, null);
            }
        });
        return inserted == 1;
    }

    @Override
    public int purgeExpired(Instant now, int limit) {
        return tx.withHandle(h -> h.createUpdate("""
                        delete from saml_assertion_ids where (environment_id, connection_id, assertion_id) in (
                            select environment_id, connection_id, assertion_id from saml_assertion_ids
                            where expire_time < :now order by expire_time limit :limit)""")
                .bind("now", Timestamps.bind(now))
                .bind("limit", limit)
                .execute());
    }
}
