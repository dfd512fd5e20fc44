package dev.gatehouse.store;

import dev.gatehouse.core.passwordless.PasswordlessIntent;
import dev.gatehouse.core.passwordless.PasswordlessRequest;
import dev.gatehouse.core.passwordless.PasswordlessRequestRepository;
import dev.gatehouse.core.passwordless.PasswordlessType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

public final class JdbiPasswordlessRequestRepository implements PasswordlessRequestRepository {
    private static final RowMapper<PasswordlessRequest> MAPPER = (rs, ctx) -> new PasswordlessRequest(
            rs.getString("id"),
            rs.getString("environment_id"),
            rs.getString("email"),
            PasswordlessType.valueOf(rs.getString("passwordless_type")),
            Optional.ofNullable(rs.getString("intent")).map(PasswordlessIntent::valueOf),
            Optional.ofNullable(rs.getString("state")),
            Optional.ofNullable(rs.getString("code_hash")),
            Optional.ofNullable(rs.getString("link_token_hash")),
            Optional.ofNullable(rs.getString("magic_link_uri")),
            JsonColumns.readMap(rs.getString("template_variables")),
            Optional.ofNullable(rs.getString("app_name")),
            rs.getBoolean("enforce_same_browser"),
            Duration.ofSeconds(rs.getInt("expires_in_seconds")),
            Timestamps.read(rs, "expires_at"),
            Timestamps.read(rs, "create_time"),
            Timestamps.read(rs, "last_sent_at"),
            rs.getInt("send_count"),
            rs.getInt("failed_attempts"),
            Timestamps.readOptional(rs, "verified_at"));

    private final JdbiTransactions tx;

    public JdbiPasswordlessRequestRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(PasswordlessRequest r) {
        tx.withHandle(h -> h.createUpdate("""
                        insert into passwordless_requests (id, environment_id, email, passwordless_type, intent, state,
                            code_hash, link_token_hash, magic_link_uri, template_variables, app_name, enforce_same_browser,
                            expires_in_seconds, expires_at, create_time, last_sent_at, send_count, failed_attempts, verified_at)
                        values (:id, :env, :email, :type, :intent, :state, :code_hash, :link_hash, :uri, :variables, :app_name,
                            :same_browser, :expires_in, :expires_at, :created, :last_sent, :send_count, :failed, :verified)""")
                .bind("id", r.id())
                .bind("env", r.environmentId())
                .bind("email", r.email())
                .bind("type", r.type().name())
                .bind("intent", r.intent().map(Enum::name).orElse(null))
                .bind("state", r.state().orElse(null))
                .bind("code_hash", r.codeHash().orElse(null))
                .bind("link_hash", r.linkTokenHash().orElse(null))
                .bind("uri", r.magicLinkUri().orElse(null))
                .bind("variables", JsonColumns.write(r.templateVariables()))
                .bind("app_name", r.appName().orElse(null))
                .bind("same_browser", r.enforceSameBrowser())
                .bind("expires_in", (int) r.expiresIn().toSeconds())
                .bind("expires_at", Timestamps.bind(r.expiresAt()))
                .bind("created", Timestamps.bind(r.createTime()))
                .bind("last_sent", Timestamps.bind(r.lastSentAt()))
                .bind("send_count", r.sendCount())
                .bind("failed", r.failedAttempts())
                .bind("verified", Timestamps.bind(r.verifiedAt().orElse(null)))
                .execute());
    }

    @Override
    public Optional<PasswordlessRequest> lockById(String environmentId, String id) {
        return tx.withHandle(h -> h.createQuery(
                        "select * from passwordless_requests where environment_id = :env and id = :id for update")
                .bind("env", environmentId).bind("id", id).map(MAPPER).findOne());
    }

    @Override
    public Optional<PasswordlessRequest> lockByLinkTokenHash(String environmentId, String linkTokenHash) {
        return tx.withHandle(h -> h.createQuery(
                        "select * from passwordless_requests where environment_id = :env and link_token_hash = :hash for update")
                .bind("env", environmentId).bind("hash", linkTokenHash).map(MAPPER).findFirst());
    }

    @Override
    public void update(PasswordlessRequest r) {
        tx.withHandle(h -> h.createUpdate("""
                        update passwordless_requests set code_hash = :code_hash, link_token_hash = :link_hash,
                            expires_at = :expires_at, last_sent_at = :last_sent, send_count = :send_count,
                            failed_attempts = :failed, verified_at = :verified
                        where environment_id = :env and id = :id""")
                .bind("code_hash", r.codeHash().orElse(null))
                .bind("link_hash", r.linkTokenHash().orElse(null))
                .bind("expires_at", Timestamps.bind(r.expiresAt()))
                .bind("last_sent", Timestamps.bind(r.lastSentAt()))
                .bind("send_count", r.sendCount())
                .bind("failed", r.failedAttempts())
                .bind("verified", Timestamps.bind(r.verifiedAt().orElse(null)))
                .bind("env", r.environmentId())
                .bind("id", r.id())
                .execute());
    }

    @Override
    public void delete(String environmentId, String id) {
        tx.withHandle(h -> h.createUpdate("delete from passwordless_requests where environment_id = :env and id = :id")
                .bind("env", environmentId).bind("id", id).execute());
    }

    @Override
    public int deleteExpiredBefore(Instant before) {
        return tx.withHandle(h -> h.createUpdate("delete from passwordless_requests where expires_at < :before")
                .bind("before", Timestamps.bind(before)).execute());
    }
}
