package dev.gatehouse.store;

import dev.gatehouse.core.login.AuthorizationCode;
import dev.gatehouse.core.login.CodeWithGrant;
import dev.gatehouse.core.login.GrantRepository;
import dev.gatehouse.core.login.RefreshToken;
import dev.gatehouse.core.login.RefreshTokenWithGrant;
import dev.gatehouse.core.login.Session;
import dev.gatehouse.core.login.SessionClient;
import dev.gatehouse.core.login.TokenGrant;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

public final class JdbiGrantRepository implements GrantRepository {
    private static final RowMapper<TokenGrant> GRANT = (rs, ctx) -> new TokenGrant(
            rs.getString("id"),
            rs.getString("environment_id"),
            rs.getString("client_id"),
            rs.getString("session_id"),
            rs.getString("user_id"),
            Optional.ofNullable(rs.getString("organization_id")),
            words(rs.getString("scope")),
            Optional.ofNullable(rs.getString("nonce")),
            JsonColumns.readList(rs.getString("amr")),
            Timestamps.read(rs, "auth_time"),
            Timestamps.read(rs, "create_time"),
            Timestamps.readOptional(rs, "revoke_time"),
            Optional.ofNullable(rs.getString("revoke_reason")));
    private static final RowMapper<AuthorizationCode> CODE = (rs, ctx) -> new AuthorizationCode(
            rs.getString("code_sha256"),
            rs.getString("environment_id"),
            rs.getString("grant_id"),
            rs.getString("redirect_uri"),
            Optional.ofNullable(rs.getString("code_challenge")),
            Timestamps.read(rs, "create_time"),
            Timestamps.read(rs, "expire_time"),
            Timestamps.readOptional(rs, "use_time"));
    private static final RowMapper<RefreshToken> REFRESH = (rs, ctx) -> new RefreshToken(
            rs.getString("token_sha256"),
            rs.getString("environment_id"),
            rs.getString("grant_id"),
            Timestamps.read(rs, "create_time"),
            Timestamps.read(rs, "expire_time"),
            Timestamps.readOptional(rs, "use_time"));

    private final JdbiTransactions tx;

    public JdbiGrantRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insertGrant(TokenGrant g) {
        tx.withHandle(h -> h.createUpdate("""
                        insert into token_grants (id, environment_id, client_id, session_id, user_id, organization_id, scope,
                            nonce, amr, auth_time, create_time)
                        values (:id, :env, :client, :session, :user, :org, :scope, :nonce, :amr, :auth, :created)""")
                .bind("id", g.id()).bind("env", g.environmentId()).bind("client", g.clientId())
                .bind("session", g.sessionId()).bind("user", g.userId()).bind("org", g.organizationId().orElse(null))
                .bind("scope", String.join(" ", g.scopes())).bind("nonce", g.nonce().orElse(null))
                .bind("amr", JsonColumns.write(g.amr())).bind("auth", Timestamps.bind(g.authTime()))
                .bind("created", Timestamps.bind(g.createTime())).execute());
    }

    @Override
    public Optional<TokenGrant> findGrant(String environmentId, String grantId) {
        return tx.withHandle(h -> h.createQuery("select * from token_grants where environment_id = :env and id = :id")
                .bind("env", environmentId).bind("id", grantId).map(GRANT).findOne());
    }

    @Override
    public void revokeGrant(String environmentId, String grantId, Instant now, String reason) {
        tx.withHandle(h -> h.createUpdate("""
                        update token_grants set revoke_time = :now, revoke_reason = :reason
                        where environment_id = :env and id = :id and revoke_time is null""")
                .bind("env", environmentId).bind("id", grantId).bind("now", Timestamps.bind(now))
                .bind("reason", reason).execute());
    }

    @Override
    public int revokeGrantsOfSession(String environmentId, String sessionId, Instant now, String reason) {
        return tx.withHandle(h -> h.createUpdate("""
                        update token_grants set revoke_time = :now, revoke_reason = :reason
                        where environment_id = :env and session_id = :session and revoke_time is null""")
                .bind("env", environmentId).bind("session", sessionId).bind("now", Timestamps.bind(now))
                .bind("reason", reason).execute());
    }

    @Override
    public List<SessionClient> clientsOfSessions(String environmentId, java.util.Collection<String> sessionIds) {
        if (sessionIds.isEmpty()) {
            return List.of();
        }
        return tx.withHandle(h -> h.createQuery("""
                        select distinct session_id, client_id, organization_id from token_grants
                        where environment_id = :env and session_id in (<sessions>)
                        order by session_id, client_id, organization_id""")
                .bind("env", environmentId).bindList("sessions", List.copyOf(sessionIds))
                .map((rs, ctx) -> new SessionClient(rs.getString("session_id"), rs.getString("client_id"),
                        Optional.ofNullable(rs.getString("organization_id"))))
                .list());
    }

    @Override
    public void insertCode(AuthorizationCode c) {
        tx.withHandle(h -> h.createUpdate("""
                        insert into authorization_codes (code_sha256, environment_id, grant_id, redirect_uri, code_challenge,
                            create_time, expire_time)
                        values (:code, :env, :grant, :redirect, :challenge, :created, :expires)""")
                .bind("code", c.codeHash()).bind("env", c.environmentId()).bind("grant", c.grantId())
                .bind("redirect", c.redirectUri()).bind("challenge", c.codeChallenge().orElse(null))
                .bind("created", Timestamps.bind(c.createTime())).bind("expires", Timestamps.bind(c.expireTime()))
                .execute());
    }

    @Override
    public Optional<AuthorizationCode> findCode(String codeHash) {
        return tx.withHandle(h -> h.createQuery("select * from authorization_codes where code_sha256 = :code")
                .bind("code", codeHash).map(CODE).findOne());
    }

    /** The grant's session (alias {@code s}) as {@code sess_…} columns, read by {@link JdbiSessionRepository#read}. */
    private static final String GRANT_SESSION_COLUMNS = JdbiSessionRepository.COLUMNS.stream()
            .map(c -> "s." + c + " as sess_" + c).collect(java.util.stream.Collectors.joining(", "));
    /** A code with its grant and the grant's session: left joins, so a code whose grant is gone is still found. */
    private static final String CODE_WITH_GRANT = """
            select g.*, c.environment_id as code_environment_id, c.grant_id as code_grant_id,
                c.redirect_uri as code_redirect_uri, c.code_challenge as code_challenge,
                c.create_time as code_create_time, c.expire_time as code_expire_time, c.use_time as code_use_time, %s
            from authorization_codes c
            left join token_grants g on g.id = c.grant_id and g.environment_id = c.environment_id
            left join sessions s on s.environment_id = g.environment_id and s.id = g.session_id
            where c.code_sha256 = :code and c.environment_id = :env"""
            .formatted(GRANT_SESSION_COLUMNS);

    @Override
    public Optional<CodeWithGrant> findCodeWithGrant(String environmentId, String codeHash) {
        return tx.withHandle(h -> h.createQuery(CODE_WITH_GRANT)
                .bind("code", codeHash).bind("env", environmentId)
                .map((rs, ctx) -> new CodeWithGrant(
                        new AuthorizationCode(codeHash, rs.getString("code_environment_id"), rs.getString("code_grant_id"),
                                rs.getString("code_redirect_uri"), Optional.ofNullable(rs.getString("code_challenge")),
                                Timestamps.read(rs, "code_create_time"), Timestamps.read(rs, "code_expire_time"),
                                Timestamps.readOptional(rs, "code_use_time")),
                        rs.getString("id") == null ? Optional.empty() : Optional.of(GRANT.map(rs, ctx)),
                        grantSession(rs)))
                .findOne());
    }

    private static Optional<Session> grantSession(java.sql.ResultSet rs) throws java.sql.SQLException {
        return rs.getString("sess_id") == null ? Optional.empty() : Optional.of(JdbiSessionRepository.read(rs, "sess_"));
    }

    @Override
    public boolean useCode(String codeHash, Instant now) {
        return tx.withHandle(h -> h.createUpdate(
                        "update authorization_codes set use_time = :now where code_sha256 = :code and use_time is null")
                .bind("code", codeHash).bind("now", Timestamps.bind(now)).execute()) == 1;
    }

    @Override
    public void insertRefreshToken(RefreshToken t) {
        tx.withHandle(h -> h.createUpdate("""
                        insert into refresh_tokens (token_sha256, environment_id, grant_id, create_time, expire_time)
                        values (:token, :env, :grant, :created, :expires)""")
                .bind("token", t.tokenHash()).bind("env", t.environmentId()).bind("grant", t.grantId())
                .bind("created", Timestamps.bind(t.createTime())).bind("expires", Timestamps.bind(t.expireTime()))
                .execute());
    }

    @Override
    public Optional<RefreshToken> findRefreshToken(String tokenHash) {
        return tx.withHandle(h -> h.createQuery("select * from refresh_tokens where token_sha256 = :token")
                .bind("token", tokenHash).map(REFRESH).findOne());
    }

    private static final String REFRESH_WITH_GRANT = """
            select g.*, t.environment_id as token_environment_id, t.create_time as token_create_time,
                t.expire_time as token_expire_time, t.use_time as token_use_time, %s
            from refresh_tokens t
            join token_grants g on g.id = t.grant_id and g.environment_id = t.environment_id
            left join sessions s on s.environment_id = g.environment_id and s.id = g.session_id
            where t.token_sha256 = :token and t.environment_id = :env"""
            .formatted(GRANT_SESSION_COLUMNS);

    @Override
    public Optional<RefreshTokenWithGrant> findRefreshTokenWithGrant(String environmentId, String tokenHash) {
        return tx.withHandle(h -> h.createQuery(REFRESH_WITH_GRANT)
                .bind("token", tokenHash).bind("env", environmentId)
                .map((rs, ctx) -> new RefreshTokenWithGrant(
                        new RefreshToken(tokenHash, rs.getString("token_environment_id"), rs.getString("id"),
                                Timestamps.read(rs, "token_create_time"), Timestamps.read(rs, "token_expire_time"),
                                Timestamps.readOptional(rs, "token_use_time")),
                        GRANT.map(rs, ctx),
                        grantSession(rs)))
                .findOne());
    }

    @Override
    public boolean useRefreshToken(String tokenHash, Instant now) {
        return tx.withHandle(h -> h.createUpdate(
                        "update refresh_tokens set use_time = :now where token_sha256 = :token and use_time is null")
                .bind("token", tokenHash).bind("now", Timestamps.bind(now)).execute()) == 1;
    }

    @Override
    public boolean rotateRefreshToken(String usedHash, Instant now, RefreshToken successor) {
        return tx.inTransaction(() -> {
            if (!useRefreshToken(usedHash, now)) {
                return false;
            }
            insertRefreshToken(successor);
            return true;
        });
    }

    @Override
    public int deleteExpiredBefore(Instant cutoff) {
        return tx.withHandle(h -> h.createUpdate("delete from authorization_codes where expire_time < :cutoff")
                .bind("cutoff", Timestamps.bind(cutoff)).execute()
                + h.createUpdate("delete from refresh_tokens where expire_time < :cutoff")
                .bind("cutoff", Timestamps.bind(cutoff)).execute());
    }

    private static List<String> words(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value.trim().split(" +"));
    }
}
