package dev.gatehouse.store;

import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.user.Membership;
import dev.gatehouse.core.user.MembershipRepository;
import dev.gatehouse.core.user.MembershipStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Update;

public final class JdbiMembershipRepository implements MembershipRepository {
    private static final String SELECT = """
            select m.*, o.display_name as organization_name from memberships m
            join organizations o on o.id = m.organization_id and o.environment_id = m.environment_id
            """;
    private static final RowMapper<Membership> MAPPER = (rs, ctx) -> read(rs, "");

    /** A membership from columns named as in the table, each with {@code prefix} (as a join aliases them). */
    static Membership read(ResultSet rs, String prefix) throws SQLException {
        return new Membership(
                rs.getString(prefix + "environment_id"),
                rs.getString(prefix + "organization_id"),
                rs.getString(prefix + "user_id"),
                Optional.ofNullable(rs.getString(prefix + "organization_name")),
                MembershipStatus.valueOf(rs.getString(prefix + "status")),
                JsonColumns.readList(rs.getString(prefix + "roles")),
                JsonColumns.readMap(rs.getString(prefix + "metadata")),
                Optional.ofNullable(rs.getString(prefix + "inviter_email")),
                Timestamps.readOptional(rs, prefix + "join_time"),
                Timestamps.readOptional(rs, prefix + "invite_create_time"),
                Timestamps.readOptional(rs, prefix + "invite_expire_time"),
                Timestamps.readOptional(rs, prefix + "accept_time"),
                rs.getInt(prefix + "resent_count"),
                Timestamps.readOptional(rs, prefix + "resent_time"),
                Timestamps.read(rs, prefix + "create_time"),
                Timestamps.read(rs, prefix + "update_time"));
    }

    private final JdbiTransactions tx;

    public JdbiMembershipRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(Membership membership) {
        try {
            tx.withHandle(h -> bindAll(h.createUpdate("""
                    insert into memberships (environment_id, organization_id, user_id, status, roles, metadata,
                        inviter_email, join_time, invite_create_time, invite_expire_time, accept_time, resent_count,
                        resent_time, create_time, update_time)
                    values (:env, :org, :user, :status, :roles, :metadata, :inviter, :joined, :invited, :expires,
                        :accepted, :resent_count, :resent, :created, :updated)"""), membership).execute());
        } catch (RuntimeException e) {
            if (SqlErrors.isUniqueViolation(e, "memberships_pk") || SqlErrors.isUniqueViolation(e, "primary key")) {
                throw new DomainException.AlreadyExists("organization_id", "the user is already a member of the organization");
            }
            throw e;
        }
    }

    @Override
    public Optional<Membership> find(String environmentId, String organizationId, String userId) {
        return tx.withHandle(h -> h.createQuery(SELECT
                        + " where m.environment_id = :env and m.organization_id = :org and m.user_id = :user")
                .bind("env", environmentId).bind("org", organizationId).bind("user", userId).map(MAPPER).findOne());
    }

    @Override
    public List<Membership> listForUsers(String environmentId, Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        return tx.withHandle(h -> h.createQuery(SELECT
                        + " where m.environment_id = :env and m.user_id in (<users>) order by m.user_id, m.organization_id")
                .bind("env", environmentId).bindList("users", List.copyOf(userIds)).map(MAPPER).list());
    }

    @Override
    public boolean update(Membership membership) {
        return tx.withHandle(h -> bindAll(h.createUpdate("""
                update memberships set status = :status, roles = :roles, metadata = :metadata, inviter_email = :inviter,
                    join_time = :joined, invite_create_time = :invited, invite_expire_time = :expires,
                    accept_time = :accepted, resent_count = :resent_count, resent_time = :resent, update_time = :updated
                where environment_id = :env and organization_id = :org and user_id = :user"""), membership)
                .execute()) == 1;
    }

    @Override
    public boolean delete(String environmentId, String organizationId, String userId) {
        return tx.withHandle(h -> h.createUpdate(
                        "delete from memberships where environment_id = :env and organization_id = :org and user_id = :user")
                .bind("env", environmentId).bind("org", organizationId).bind("user", userId).execute()) == 1;
    }

    @Override
    public long countForUser(String environmentId, String userId) {
        return tx.withHandle(h -> h.createQuery("select count(*) from memberships where environment_id = :env and user_id = :user")
                .bind("env", environmentId).bind("user", userId).mapTo(Long.class).one());
    }

    @Override
    public long countInOrganization(String environmentId, String organizationId) {
        return tx.withHandle(h -> h.createQuery(
                        "select count(*) from memberships where environment_id = :env and organization_id = :org")
                .bind("env", environmentId).bind("org", organizationId).mapTo(Long.class).one());
    }

    private static Update bindAll(Update update, Membership m) {
        return update
                .bind("env", m.environmentId())
                .bind("org", m.organizationId())
                .bind("user", m.userId())
                .bind("status", m.storedStatus().name())
                .bind("roles", JsonColumns.write(m.roles()))
                .bind("metadata", JsonColumns.write(m.metadata()))
                .bind("inviter", m.inviterEmail().orElse(null))
                .bind("joined", Timestamps.bind(m.joinTime().orElse(null)))
                .bind("invited", Timestamps.bind(m.inviteCreateTime().orElse(null)))
                .bind("expires", Timestamps.bind(m.inviteExpireTime().orElse(null)))
                .bind("accepted", Timestamps.bind(m.acceptTime().orElse(null)))
                .bind("resent_count", m.resentCount())
                .bind("resent", Timestamps.bind(m.resentAt().orElse(null)))
                .bind("created", Timestamps.bind(m.createTime()))
                .bind("updated", Timestamps.bind(m.updateTime()));
    }
}
