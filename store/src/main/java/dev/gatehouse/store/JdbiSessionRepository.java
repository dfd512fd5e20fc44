package dev.gatehouse.store;

import dev.gatehouse.core.login.Session;
import dev.gatehouse.core.login.SessionFilter;
import dev.gatehouse.core.login.SessionRepository;
import dev.gatehouse.core.login.SessionStatus;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

public final class JdbiSessionRepository implements SessionRepository {
    private static final RowMapper<Session> MAPPER = (rs, ctx) -> read(rs, "");

    /** Every column of a {@code sessions} row, for joins that select them under other names. */
    static final List<String> COLUMNS = List.of("id", "environment_id", "user_id", "organization_id", "cookie_sha256",
            "amr", "ip_address", "user_agent", "create_time", "last_active_time", "idle_expire_time",
            "absolute_expire_time", "revoke_time", "revoke_reason");

    /** The session in the current row, whose columns are named {@code prefix} + the column name. */
    static Session read(ResultSet rs, String prefix) throws SQLException {
        return new Session(
                rs.getString(prefix + "id"),
                rs.getString(prefix + "environment_id"),
                rs.getString(prefix + "user_id"),
                Optional.ofNullable(rs.getString(prefix + "organization_id")),
                rs.getString(prefix + "cookie_sha256"),
                JsonColumns.readList(rs.getString(prefix + "amr")),
                Optional.ofNullable(rs.getString(prefix + "ip_address")),
                Optional.ofNullable(rs.getString(prefix + "user_agent")),
                Timestamps.read(rs, prefix + "create_time"),
                Timestamps.read(rs, prefix + "last_active_time"),
                Timestamps.read(rs, prefix + "idle_expire_time"),
                Timestamps.read(rs, prefix + "absolute_expire_time"),
                Timestamps.readOptional(rs, prefix + "revoke_time"),
                Optional.ofNullable(rs.getString(prefix + "revoke_reason")));
    }

    private final JdbiTransactions tx;

    public JdbiSessionRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(Session s) {
        tx.withHandle(h -> h.createUpdate("""
                        insert into sessions (id, environment_id, user_id, organization_id, cookie_sha256, amr, ip_address,
                            user_agent, create_time, last_active_time, idle_expire_time, absolute_expire_time)
                        values (:id, :env, :user, :org, :cookie, :amr, :ip, :agent, :created, :active, :idle, :absolute)""")
                .bind("id", s.id()).bind("env", s.environmentId()).bind("user", s.userId())
                .bind("org", s.organizationId().orElse(null)).bind("cookie", s.cookieHash())
                .bind("amr", JsonColumns.write(s.amr())).bind("ip", s.ipAddress().map(v -> clip(v, 64)).orElse(null))
                .bind("agent", s.userAgent().map(v -> clip(v, 512)).orElse(null))
                .bind("created", Timestamps.bind(s.createTime())).bind("active", Timestamps.bind(s.lastActiveTime()))
                .bind("idle", Timestamps.bind(s.idleExpireTime())).bind("absolute", Timestamps.bind(s.absoluteExpireTime()))
                .execute());
    }

    @Override
    public Optional<Session> find(String environmentId, String sessionId) {
        return tx.withHandle(h -> h.createQuery("select * from sessions where environment_id = :env and id = :id")
                .bind("env", environmentId).bind("id", sessionId).map(MAPPER).findOne());
    }

    @Override
    public Optional<Session> findByCookieHash(String cookieHash) {
        return tx.withHandle(h -> h.createQuery("select * from sessions where cookie_sha256 = :cookie")
                .bind("cookie", cookieHash).map(MAPPER).findOne());
    }

    @Override
    public Page<Session> listForUser(String environmentId, String userId, SessionFilter filter, Instant now,
                                     PageRequest page) {
        StringBuilder where = new StringBuilder("environment_id = :env and user_id = :user");
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("env", environmentId);
        parameters.put("user", userId);
        if (!filter.statuses().isEmpty()) {
            List<String> any = new ArrayList<>();
            for (SessionStatus status : filter.statuses()) {
                any.add(switch (status) {
                    case ACTIVE -> "(revoke_time is null and idle_expire_time > :now and absolute_expire_time > :now)";
                    case EXPIRED -> "(revoke_time is null and (idle_expire_time <= :now or absolute_expire_time <= :now))";
                    case REVOKED -> "(revoke_time is not null and revoke_reason <> '" + SessionStatus.LOGOUT_REASON + "')";
                    case LOGOUT -> "(revoke_time is not null and revoke_reason = '" + SessionStatus.LOGOUT_REASON + "')";
                });
            }
            where.append(" and (").append(String.join(" or ", any)).append(")");
            parameters.put("now", Timestamps.bind(now));
        }
        filter.createdFrom().ifPresent(from -> {
            where.append(" and create_time >= :from");
            parameters.put("from", Timestamps.bind(from));
        });
        filter.createdBefore().ifPresent(before -> {
            where.append(" and create_time < :before");
            parameters.put("before", Timestamps.bind(before));
        });
        KeysetPager<Session> pager = new KeysetPager<>("sessions", where.toString(), parameters, MAPPER, Session::id);
        return tx.withHandle(h -> pager.page(h, page));
    }

    @Override
    public void touch(String environmentId, String sessionId, Optional<String> organizationId, Instant now,
                      Instant idleExpireTime, Instant absoluteExpireTime) {
        tx.withHandle(h -> h.createUpdate("""
                        update sessions set last_active_time = :now, idle_expire_time = :idle,
                            absolute_expire_time = :absolute, organization_id = coalesce(:org, organization_id)
                        where environment_id = :env and id = :id""")
                .bind("env", environmentId).bind("id", sessionId).bind("now", Timestamps.bind(now))
                .bind("idle", Timestamps.bind(idleExpireTime)).bind("absolute", Timestamps.bind(absoluteExpireTime))
                .bind("org", organizationId.orElse(null)).execute());
    }

    @Override
    public boolean recordActivity(String environmentId, String sessionId, Instant now, Instant idleExpireTime,
                                  Instant lastActiveBefore) {
        return tx.withHandle(h -> h.createUpdate("""
                        update sessions set last_active_time = :now, idle_expire_time = :idle
                        where environment_id = :env and id = :id and last_active_time < :before
                            and revoke_time is null""")
                .bind("env", environmentId).bind("id", sessionId).bind("now", Timestamps.bind(now))
                .bind("idle", Timestamps.bind(idleExpireTime)).bind("before", Timestamps.bind(lastActiveBefore))
                .execute()) == 1;
    }

    @Override
    public List<Session> listActiveInOrganization(String environmentId, String organizationId, Instant now) {
        return tx.withHandle(h -> h.createQuery("""
                        select * from sessions
                        where environment_id = :env and organization_id = :org and revoke_time is null
                            and idle_expire_time > :now and absolute_expire_time > :now""")
                .bind("env", environmentId).bind("org", organizationId).bind("now", Timestamps.bind(now))
                .map(MAPPER).list());
    }

    @Override
    public void limit(String environmentId, String sessionId, Instant idleExpireTime, Instant absoluteExpireTime) {
        tx.withHandle(h -> h.createUpdate("""
                        update sessions set idle_expire_time = :idle, absolute_expire_time = :absolute
                        where environment_id = :env and id = :id""")
                .bind("env", environmentId).bind("id", sessionId).bind("idle", Timestamps.bind(idleExpireTime))
                .bind("absolute", Timestamps.bind(absoluteExpireTime)).execute());
    }

    @Override
    public boolean revoke(String environmentId, String sessionId, Instant now, String reason) {
        return tx.withHandle(h -> h.createUpdate("""
                        update sessions set revoke_time = :now, revoke_reason = :reason
                        where environment_id = :env and id = :id and revoke_time is null""")
                .bind("env", environmentId).bind("id", sessionId).bind("now", Timestamps.bind(now))
                .bind("reason", clip(reason, 64)).execute()) == 1;
    }

    @Override
    public int revokeAllForUser(String environmentId, String userId, Instant now, String reason) {
        return tx.withHandle(h -> h.createUpdate("""
                        update sessions set revoke_time = :now, revoke_reason = :reason
                        where environment_id = :env and user_id = :user and revoke_time is null""")
                .bind("env", environmentId).bind("user", userId).bind("now", Timestamps.bind(now))
                .bind("reason", clip(reason, 64)).execute());
    }

    @Override
    public int deleteEndedBefore(Instant cutoff) {
        return tx.withHandle(h -> h.createUpdate("delete from sessions where absolute_expire_time < :cutoff"
                        + " or idle_expire_time < :cutoff or revoke_time < :cutoff")
                .bind("cutoff", Timestamps.bind(cutoff)).execute());
    }

    private static String clip(String value, int max) {
        return value.length() > max ? value.substring(0, max) : value;
    }
}
