package dev.gatehouse.store;

import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.user.Role;
import dev.gatehouse.core.user.RoleRepository;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;

public final class JdbiRoleRepository implements RoleRepository {
    private static final RowMapper<Role> MAPPER = (rs, ctx) -> new Role(rs.getString("id"), rs.getString("environment_id"),
            rs.getString("name"), rs.getString("display_name"), rs.getBoolean("default_member"),
            Timestamps.read(rs, "create_time"));

    private final JdbiTransactions tx;

    public JdbiRoleRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public List<Role> list(String environmentId) {
        return tx.withHandle(h -> h.createQuery("select * from roles where environment_id = :env order by id")
                .bind("env", environmentId).map(MAPPER).list());
    }

    @Override
    public void insert(Role role) {
        try {
            tx.withHandle(h -> h.createUpdate("""
                    insert into roles (id, environment_id, name, display_name, default_member, create_time)
                    values (:id, :env, :name, :display_name, :default_member, :created)""")
                    .bind("id", role.id()).bind("env", role.environmentId()).bind("name", role.name())
                    .bind("display_name", role.displayName()).bind("default_member", role.defaultMember())
                    .bind("created", Timestamps.bind(role.createTime())).execute());
        } catch (RuntimeException e) {
            if (SqlErrors.isUniqueViolation(e, "roles_name_unique")) {
                throw new DomainException.AlreadyExists("name", "a role with this name already exists in the environment");
            }
            throw e;
        }
    }
}
