package dev.gatehouse.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import dev.gatehouse.core.user.Membership;
import dev.gatehouse.core.user.User;
import dev.gatehouse.core.user.UserProfile;
import dev.gatehouse.core.user.UserRepository;
import dev.gatehouse.core.user.UserView;
import dev.gatehouse.core.user.UserWithMembership;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Update;

public final class JdbiUserRepository implements UserRepository {
    private static final RowMapper<User> MAPPER = (rs, ctx) -> new User(
            rs.getString("id"),
            rs.getString("environment_id"),
            rs.getString("email"),
            rs.getBoolean("email_verified"),
            Optional.ofNullable(rs.getString("external_id")),
            JsonColumns.readMap(rs.getString("metadata")),
            readProfile(rs.getString("profile")),
            Timestamps.read(rs, "create_time"),
            Timestamps.read(rs, "update_time"),
            Timestamps.readOptional(rs, "last_login_time"));

    private static final String MATCH = "(email_lower like :pattern escape '!' or lower(id) like :pattern escape '!'"
            + " or lower(external_id) like :pattern escape '!')";

    /** A joined membership (alias {@code m}, its organization {@code o}) as {@code m_…} columns. */
    private static final String MEMBERSHIP_COLUMNS = """
            m.environment_id as m_environment_id, m.organization_id as m_organization_id,
                m.user_id as m_user_id, o.display_name as m_organization_name, m.status as m_status,
                m.roles as m_roles, m.metadata as m_metadata, m.inviter_email as m_inviter_email,
                m.join_time as m_join_time, m.invite_create_time as m_invite_create_time,
                m.invite_expire_time as m_invite_expire_time, m.accept_time as m_accept_time,
                m.resent_count as m_resent_count, m.resent_time as m_resent_time,
                m.create_time as m_create_time, m.update_time as m_update_time
            """;

    private final JdbiTransactions tx;

    public JdbiUserRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(User user) {
        try {
            tx.withHandle(h -> bindAll(h.createUpdate("""
                    insert into users (id, environment_id, email, email_lower, email_verified, external_id, metadata,
                        profile, create_time, update_time, last_login_time)
                    values (:id, :env, :email, :email_lower, :email_verified, :external_id, :metadata, :profile,
                        :created, :updated, :last_login)"""), user).execute());
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public Optional<User> findById(String environmentId, String userId) {
        return tx.withHandle(h -> h.createQuery("select * from users where environment_id = :env and id = :id")
                .bind("env", environmentId).bind("id", userId).map(MAPPER).findOne());
    }

    @Override
    public Optional<UserWithMembership> findWithMembership(String environmentId, String userId, String organizationId) {
        return tx.withHandle(h -> h.createQuery("""
                        select u.*, """ + MEMBERSHIP_COLUMNS + """
                        from users u
                        left join memberships m on m.environment_id = u.environment_id and m.user_id = u.id
                            and m.organization_id = :org
                        left join organizations o on o.id = m.organization_id and o.environment_id = m.environment_id
                        where u.environment_id = :env and u.id = :id""")
                .bind("env", environmentId).bind("id", userId).bind("org", organizationId)
                .map((rs, ctx) -> new UserWithMembership(MAPPER.map(rs, ctx), joinedMembership(rs)))
                .findOne());
    }

    @Override
    public Optional<UserView> findWithMemberships(String environmentId, String userId) {
        return Optional.ofNullable(tx.withHandle(h -> h.createQuery("""
                        select u.*, """ + MEMBERSHIP_COLUMNS + """
                        from users u
                        left join memberships m on m.environment_id = u.environment_id and m.user_id = u.id
                        left join organizations o on o.id = m.organization_id and o.environment_id = m.environment_id
                        where u.environment_id = :env and u.id = :id
                        order by m.organization_id""")
                .bind("env", environmentId).bind("id", userId)
                .reduceResultSet((UserRows) null, (rows, rs, ctx) -> {
                    UserRows user = rows != null ? rows : new UserRows(MAPPER.map(rs, ctx), new ArrayList<>());
                    joinedMembership(rs).ifPresent(user.memberships()::add);
                    return user;
                })))
                .map(rows -> new UserView(rows.user(), rows.memberships()));
    }

    /** The user read from a join's first row, and the memberships of all its rows. */
    private record UserRows(User user, List<Membership> memberships) {}

    /** The row's joined membership; empty when the user has none there (or its organization is gone). */
    private static Optional<Membership> joinedMembership(ResultSet rs) throws SQLException {
        return rs.getString("m_user_id") == null || rs.getString("m_organization_name") == null
                ? Optional.empty() : Optional.of(JdbiMembershipRepository.read(rs, "m_"));
    }

    @Override
    public Optional<User> findByExternalId(String environmentId, String externalId) {
        return tx.withHandle(h -> h.createQuery("select * from users where environment_id = :env and external_id = :external_id")
                .bind("env", environmentId).bind("external_id", externalId).map(MAPPER).findOne());
    }

    @Override
    public Optional<User> findByEmail(String environmentId, String email) {
        return tx.withHandle(h -> h.createQuery("select * from users where environment_id = :env and email_lower = :email")
                .bind("env", environmentId).bind("email", email.strip().toLowerCase(Locale.ROOT)).map(MAPPER).findOne());
    }

    @Override
    public Page<User> list(String environmentId, PageRequest page) {
        KeysetPager<User> pager = new KeysetPager<>("users", "environment_id = :env", Map.of("env", environmentId),
                MAPPER, User::id);
        return tx.withHandle(h -> pager.page(h, page));
    }

    @Override
    public Page<User> listInOrganization(String environmentId, String organizationId, PageRequest page) {
        String filter = "environment_id = :env and id in (select m.user_id from memberships m"
                + " where m.environment_id = :env and m.organization_id = :org)";
        KeysetPager<User> pager = new KeysetPager<>("users", filter, Map.of("env", environmentId, "org", organizationId),
                MAPPER, User::id);
        return tx.withHandle(h -> pager.page(h, page));
    }

    @Override
    public Page<User> search(String environmentId, String query, PageRequest page) {
        KeysetPager<User> pager = new KeysetPager<>("users", "environment_id = :env and " + MATCH,
                Map.of("env", environmentId, "pattern", pattern(query)), MAPPER, User::id);
        return tx.withHandle(h -> pager.page(h, page));
    }

    @Override
    public Page<User> searchInOrganization(String environmentId, String organizationId, String query, PageRequest page) {
        String filter = "environment_id = :env and " + MATCH + " and id in (select m.user_id from memberships m"
                + " where m.environment_id = :env and m.organization_id = :org)";
        KeysetPager<User> pager = new KeysetPager<>("users", filter,
                Map.of("env", environmentId, "org", organizationId, "pattern", pattern(query)), MAPPER, User::id);
        return tx.withHandle(h -> pager.page(h, page));
    }

    private static String pattern(String query) {
        return LikeLiteral.containing(query.toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean update(User user) {
        try {
            return tx.withHandle(h -> bindAll(h.createUpdate("""
                    update users set email = :email, email_lower = :email_lower, email_verified = :email_verified,
                        external_id = :external_id, metadata = :metadata, profile = :profile,
                        update_time = :updated, last_login_time = :last_login
                    where environment_id = :env and id = :id"""), user).execute()) == 1;
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public boolean delete(String environmentId, String userId) {
        return tx.withHandle(h -> {
            // Explicit as well as by cascade, so the statement is scoped by environment on every engine.
            h.createUpdate("delete from memberships where environment_id = :env and user_id = :id")
                    .bind("env", environmentId).bind("id", userId).execute();
            return h.createUpdate("delete from users where environment_id = :env and id = :id")
                    .bind("env", environmentId).bind("id", userId).execute();
        }) == 1;
    }

    private static Update bindAll(Update update, User u) {
        return update
                .bind("id", u.id())
                .bind("env", u.environmentId())
                .bind("email", u.email())
                .bind("email_lower", u.email().toLowerCase(Locale.ROOT))
                .bind("email_verified", u.emailVerified())
                .bind("external_id", u.externalId().orElse(null))
                .bind("metadata", JsonColumns.write(u.metadata()))
                .bind("profile", writeProfile(u.profile()))
                .bind("created", Timestamps.bind(u.createTime()))
                .bind("updated", Timestamps.bind(u.updateTime()))
                .bind("last_login", Timestamps.bind(u.lastLoginTime().orElse(null)));
    }

    private static RuntimeException translate(RuntimeException e) {
        if (SqlErrors.isUniqueViolation(e, "users_email_unique")) {
            return new DomainException.AlreadyExists("email", "a user with this email already exists in the environment");
        }
        if (SqlErrors.isUniqueViolation(e, "users_external_id_unique")) {
            return new DomainException.AlreadyExists("external_id", "a user with this external_id already exists in the environment");
        }
        return e;
    }

    private static String writeProfile(UserProfile profile) {
        try {
            return JsonColumns.JSON.writeValueAsString(profile);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static UserProfile readProfile(String json) {
        try {
            return JsonColumns.JSON.readValue(json, UserProfile.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("user profile column is not valid JSON", e);
        }
    }
}
