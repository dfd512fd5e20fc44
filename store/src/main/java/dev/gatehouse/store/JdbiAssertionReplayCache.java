package dev.gatehouse.store;

import dev.gatehouse.core.sso.AssertionReplayCache;
import java.time.Instant;

/**
 * The replay cache in table {@code saml_assertion_ids}. {@code insert … on conflict do nothing} on the
 * primary key decides the first use atomically, on H2 and PostgreSQL, without aborting an enclosing
 * PostgreSQL transaction the way a caught unique violation would.
 */
public final class JdbiAssertionReplayCache implements AssertionReplayCache {
    private final JdbiTransactions tx;

    public JdbiAssertionReplayCache(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public boolean firstUse(String environmentId, String connectionId, String assertionId, Instant expiresAt) {
        int inserted = tx.withHandle(h -> h.createUpdate("""
                        insert into saml_assertion_ids (environment_id, connection_id, assertion_id, expire_time)
                        values (:env, :connection, :assertion, :expires)
                        on conflict do nothing""")
                .bind("env", environmentId)
                .bind("connection", connectionId)
                .bind("assertion", assertionId)
                .bind("expires", Timestamps.bind(expiresAt))
                .execute());
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
