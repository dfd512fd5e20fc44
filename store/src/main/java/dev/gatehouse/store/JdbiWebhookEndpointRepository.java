package dev.gatehouse.store;

import dev.gatehouse.core.webhook.WebhookEndpoint;
import dev.gatehouse.core.webhook.WebhookEndpointRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;

public final class JdbiWebhookEndpointRepository implements WebhookEndpointRepository {
    static final RowMapper<WebhookEndpoint> MAPPER = (rs, ctx) -> read(rs, "");

    private final JdbiTransactions tx;

    public JdbiWebhookEndpointRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    /** Reads an endpoint from columns named {@code prefix + column}. */
    static WebhookEndpoint read(ResultSet rs, String prefix) throws SQLException {
        String types = rs.getString(prefix + "event_types");
        return new WebhookEndpoint(
                rs.getString(prefix + "id"),
                rs.getString(prefix + "environment_id"),
                rs.getString(prefix + "url"),
                rs.getString(prefix + "description"),
                types.isEmpty() ? List.of() : Arrays.asList(types.split(",")),
                rs.getBoolean(prefix + "enabled"),
                rs.getString(prefix + "sealed_secret"),
                Optional.ofNullable(rs.getString(prefix + "sealed_previous_secret")),
                Timestamps.readOptional(rs, prefix + "previous_secret_expires_at"),
                Timestamps.readOptional(rs, prefix + "failing_since"),
                Optional.ofNullable(rs.getString(prefix + "disabled_reason")),
                Timestamps.read(rs, prefix + "create_time"),
                Timestamps.read(rs, prefix + "update_time"));
    }

    @Override
    public void insert(WebhookEndpoint e) {
        tx.withHandle(h -> bind(h.createUpdate("""
                insert into webhook_endpoints (id, environment_id, url, description, event_types, enabled, sealed_secret,
                    sealed_previous_secret, previous_secret_expires_at, failing_since, disabled_reason, create_time, update_time)
                values (:id, :env, :url, :description, :types, :enabled, :secret, :previous, :previous_expires,
                    :failing_since, :disabled_reason, :created, :updated)"""), e).execute());
    }

    @Override
    public Optional<WebhookEndpoint> findById(String environmentId, String endpointId) {
        return tx.withHandle(h -> h.createQuery("select * from webhook_endpoints where environment_id = :env and id = :id")
                .bind("env", environmentId).bind("id", endpointId).map(MAPPER).findOne());
    }

    @Override
    public List<WebhookEndpoint> list(String environmentId, int limit) {
        return tx.withHandle(h -> h.createQuery(
                        "select * from webhook_endpoints where environment_id = :env order by create_time, id limit :limit")
                .bind("env", environmentId).bind("limit", limit).map(MAPPER).list());
    }

    @Override
    public long count(String environmentId) {
        return tx.withHandle(h -> h.createQuery("select count(*) from webhook_endpoints where environment_id = :env")
                .bind("env", environmentId).mapTo(Long.class).one());
    }

    @Override
    public boolean update(WebhookEndpoint e) {
        return tx.withHandle(h -> bind(h.createUpdate("""
                update webhook_endpoints set url = :url, description = :description, event_types = :types,
                    enabled = :enabled, sealed_secret = :secret, sealed_previous_secret = :previous,
                    previous_secret_expires_at = :previous_expires, failing_since = :failing_since,
                    disabled_reason = :disabled_reason, update_time = :updated
                where environment_id = :env and id = :id"""), e).execute()) == 1;
    }

    @Override
    public boolean delete(String environmentId, String endpointId) {
        return tx.withHandle(h -> h.createUpdate("delete from webhook_endpoints where environment_id = :env and id = :id")
                .bind("env", environmentId).bind("id", endpointId).execute()) == 1;
    }

    @Override
    public boolean disableIfFailingSince(String environmentId, String endpointId, Instant failingSinceAtMost, String reason,
                                         Instant now) {
        return tx.withHandle(h -> h.createUpdate("""
                        update webhook_endpoints set enabled = false, disabled_reason = :reason, update_time = :now
                        where environment_id = :env and id = :id and enabled = true
                          and failing_since is not null and failing_since <= :since""")
                .bind("reason", reason).bind("now", Timestamps.bind(now)).bind("env", environmentId)
                .bind("id", endpointId).bind("since", Timestamps.bind(failingSinceAtMost)).execute()) == 1;
    }

    private static <S extends SqlStatement<S>> S bind(S statement, WebhookEndpoint e) {
        return statement
                .bind("id", e.id())
                .bind("env", e.environmentId())
                .bind("url", e.url())
                .bind("description", e.description())
                .bind("types", String.join(",", e.eventTypes()))
                .bind("enabled", e.enabled())
                .bind("secret", e.sealedSecret())
                .bind("previous", e.sealedPreviousSecret().orElse(null))
                .bind("previous_expires", Timestamps.bind(e.previousSecretExpiresAt().orElse(null)))
                .bind("failing_since", Timestamps.bind(e.failingSince().orElse(null)))
                .bind("disabled_reason", e.disabledReason().orElse(null))
                .bind("created", Timestamps.bind(e.createTime()))
                .bind("updated", Timestamps.bind(e.updateTime()));
    }
}
