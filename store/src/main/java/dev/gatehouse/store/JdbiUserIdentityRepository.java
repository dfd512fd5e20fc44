package dev.gatehouse.store;

import dev.gatehouse.core.login.UserIdentity;
import dev.gatehouse.core.login.UserIdentityRepository;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

public final class JdbiUserIdentityRepository implements UserIdentityRepository {
    static final int MAX_RAW_ATTRIBUTES_CHARS = 16_000;
    private static final RowMapper<UserIdentity> MAPPER = (rs, ctx) -> new UserIdentity(
            rs.getString("environment_id"),
            rs.getString("user_id"),
            rs.getString("connection_id"),
            rs.getString("subject"),
            Optional.ofNullable(rs.getString("organization_id")),
            rs.getString("connection_type"),
            rs.getString("provider_name"),
            rs.getBoolean("social"),
            rs.getString("email"),
            JsonColumns.readMap(rs.getString("raw_attributes")),
            Timestamps.read(rs, "create_time"),
            Timestamps.read(rs, "last_login_time"));

    private final JdbiTransactions tx;

    public JdbiUserIdentityRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<UserIdentity> find(String environmentId, String connectionId, String subject) {
        return tx.withHandle(h -> h.createQuery("""
                        select * from user_identities
                        where environment_id = :env and connection_id = :connection and subject = :subject""")
                .bind("env", environmentId).bind("connection", connectionId).bind("subject", subject)
                .map(MAPPER).findOne());
    }

    @Override
    public void save(UserIdentity identity) {
        String raw = rawAttributes(identity.rawAttributes());
        tx.withHandle(h -> {
            int updated = h.createUpdate("""
                            update user_identities set user_id = :user, organization_id = :org, email = :email,
                                raw_attributes = :raw, last_login_time = :login
                            where environment_id = :env and connection_id = :connection and subject = :subject""")
                    .bind("env", identity.environmentId()).bind("connection", identity.connectionId())
                    .bind("subject", identity.subject()).bind("user", identity.userId())
                    .bind("org", identity.organizationId().orElse(null)).bind("email", identity.email())
                    .bind("raw", raw).bind("login", Timestamps.bind(identity.lastLoginTime())).execute();
            if (updated == 0) {
                h.createUpdate("""
                                insert into user_identities (environment_id, user_id, connection_id, subject,
                                    organization_id, connection_type, provider_name, social, email, raw_attributes,
                                    create_time, last_login_time)
                                values (:env, :user, :connection, :subject, :org, :type, :provider, :social, :email,
                                    :raw, :created, :login)""")
                        .bind("env", identity.environmentId()).bind("user", identity.userId())
                        .bind("connection", identity.connectionId()).bind("subject", identity.subject())
                        .bind("org", identity.organizationId().orElse(null)).bind("type", identity.connectionType())
                        .bind("provider", identity.providerName()).bind("social", identity.social())
                        .bind("email", identity.email()).bind("raw", raw)
                        .bind("created", Timestamps.bind(identity.createTime()))
                        .bind("login", Timestamps.bind(identity.lastLoginTime())).execute();
            }
            return null;
        });
    }

    @Override
    public List<UserIdentity> listForUser(String environmentId, String userId) {
        return tx.withHandle(h -> h.createQuery("""
                        select * from user_identities where environment_id = :env and user_id = :user
                        order by create_time, connection_id""")
                .bind("env", environmentId).bind("user", userId).map(MAPPER).list());
    }

    @Override
    public Map<String, List<UserIdentity>> listForUsers(String environmentId, Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return Map.of();
        }
        List<UserIdentity> rows = tx.withHandle(h -> h.createQuery("""
                        select * from user_identities where environment_id = :env and user_id in (<users>)
                        order by create_time, connection_id""")
                .bind("env", environmentId).bindList("users", List.copyOf(userIds)).map(MAPPER).list());
        Map<String, List<UserIdentity>> byUser = new LinkedHashMap<>();
        rows.forEach(identity -> byUser.computeIfAbsent(identity.userId(), user -> new ArrayList<>()).add(identity));
        return byUser;
    }

    /** The provider's attributes as stored: oversized values are cut, then whole entries dropped, to fit the column. */
    static String rawAttributes(Map<String, String> attributes) {
        Map<String, String> kept = new LinkedHashMap<>();
        int size = 2;
        for (Map.Entry<String, String> entry : attributes.entrySet()) {
            String value = entry.getValue().length() > 1024 ? entry.getValue().substring(0, 1024) : entry.getValue();
            int cost = entry.getKey().length() + value.length() + 16;
            if (size + cost > MAX_RAW_ATTRIBUTES_CHARS / 2) {
                break;
            }
            kept.put(entry.getKey(), value);
            size += cost;
        }
        return JsonColumns.write(kept);
    }
}
