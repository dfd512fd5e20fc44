package dev.gatehouse.store;

import dev.gatehouse.core.credential.SecretHash;
import dev.gatehouse.core.directory.Directory;
import dev.gatehouse.core.directory.DirectoryProvider;
import dev.gatehouse.core.directory.DirectoryRepository;
import dev.gatehouse.core.directory.DirectorySecret;
import dev.gatehouse.core.directory.DirectoryType;
import dev.gatehouse.core.directory.RoleAssignment;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

public final class JdbiDirectoryRepository implements DirectoryRepository {
    private static final RowMapper<Directory> MAPPER = (rs, ctx) -> new Directory(
            rs.getString("id"),
            rs.getString("environment_id"),
            rs.getString("organization_id"),
            rs.getString("name"),
            DirectoryType.valueOf(rs.getString("directory_type")),
            DirectoryProvider.valueOf(rs.getString("provider")),
            rs.getBoolean("enabled"),
            Timestamps.readOptional(rs, "last_synced_at"),
            Timestamps.read(rs, "create_time"),
            Timestamps.read(rs, "update_time"));

    private static final RowMapper<DirectorySecret> SECRET = (rs, ctx) -> new DirectorySecret(
            rs.getString("id"),
            rs.getString("directory_id"),
            new SecretHash(rs.getString("secret_sha256")),
            rs.getString("suffix"),
            rs.getBoolean("active"),
            Timestamps.read(rs, "create_time"),
            Timestamps.readOptional(rs, "expire_time"),
            Timestamps.readOptional(rs, "last_used_time"));

    private final JdbiTransactions tx;

    public JdbiDirectoryRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(Directory d) {
        tx.withHandle(h -> h.createUpdate("""
                insert into directories (id, environment_id, organization_id, name, directory_type, provider, enabled,
                    last_synced_at, create_time, update_time)
                values (:id, :env, :org, :name, :type, :provider, :enabled, :synced, :created, :updated)""")
                .bind("id", d.id()).bind("env", d.environmentId()).bind("org", d.organizationId())
                .bind("name", d.name()).bind("type", d.type().name()).bind("provider", d.provider().name())
                .bind("enabled", d.enabled()).bind("synced", Timestamps.bind(d.lastSyncedAt().orElse(null)))
                .bind("created", Timestamps.bind(d.createTime())).bind("updated", Timestamps.bind(d.updateTime()))
                .execute());
    }

    @Override
    public Optional<Directory> findById(String environmentId, String organizationId, String directoryId) {
        return tx.withHandle(h -> h.createQuery(
                        "select * from directories where environment_id = :env and organization_id = :org and id = :id")
                .bind("env", environmentId).bind("org", organizationId).bind("id", directoryId).map(MAPPER).findOne());
    }

    @Override
    public Optional<Directory> findForScim(String directoryId) {
        return tx.withHandle(h -> h.createQuery("select * from directories where id = :id")
                .bind("id", directoryId).map(MAPPER).findOne());
    }

    @Override
    public List<Directory> listByOrganization(String environmentId, String organizationId) {
        return tx.withHandle(h -> h.createQuery(
                        "select * from directories where environment_id = :env and organization_id = :org order by id")
                .bind("env", environmentId).bind("org", organizationId).map(MAPPER).list());
    }

    @Override
    public boolean update(Directory d) {
        return tx.withHandle(h -> h.createUpdate("""
                update directories set name = :name, directory_type = :type, provider = :provider, enabled = :enabled,
                    last_synced_at = :synced, update_time = :updated
                where environment_id = :env and organization_id = :org and id = :id""")
                .bind("id", d.id()).bind("env", d.environmentId()).bind("org", d.organizationId())
                .bind("name", d.name()).bind("type", d.type().name()).bind("provider", d.provider().name())
                .bind("enabled", d.enabled()).bind("synced", Timestamps.bind(d.lastSyncedAt().orElse(null)))
                .bind("updated", Timestamps.bind(d.updateTime()))
                .execute()) == 1;
    }

    @Override
    public void recordSync(String environmentId, String directoryId, Instant now, Instant notBefore) {
        tx.withHandle(h -> h.createUpdate("""
                update directories set last_synced_at = :now
                where environment_id = :env and id = :id and (last_synced_at is null or last_synced_at < :not_before)""")
                .bind("env", environmentId).bind("id", directoryId).bind("now", Timestamps.bind(now))
                .bind("not_before", Timestamps.bind(notBefore)).execute());
    }

    @Override
    public boolean delete(String environmentId, String organizationId, String directoryId) {
        return tx.withHandle(h -> h.createUpdate(
                        "delete from directories where environment_id = :env and organization_id = :org and id = :id")
                .bind("env", environmentId).bind("org", organizationId).bind("id", directoryId).execute()) == 1;
    }

    @Override
    public void insertSecret(String environmentId, DirectorySecret s) {
        tx.withHandle(h -> h.createUpdate("""
                insert into directory_secrets (id, environment_id, directory_id, secret_sha256, suffix, active,
                    create_time, expire_time, last_used_time)
                values (:id, :env, :dir, :hash, :suffix, :active, :created, :expires, :used)""")
                .bind("id", s.id()).bind("env", environmentId).bind("dir", s.directoryId())
                .bind("hash", s.hash().hex()).bind("suffix", s.suffix()).bind("active", s.active())
                .bind("created", Timestamps.bind(s.createTime()))
                .bind("expires", Timestamps.bind(s.expireTime().orElse(null)))
                .bind("used", Timestamps.bind(s.lastUsedTime().orElse(null)))
                .execute());
    }

    @Override
    public List<DirectorySecret> secrets(String directoryId) {
        return tx.withHandle(h -> h.createQuery(
                        "select * from directory_secrets where directory_id = :dir order by create_time desc, id desc")
                .bind("dir", directoryId).map(SECRET).list());
    }

    @Override
    public void updateSecret(DirectorySecret s) {
        tx.withHandle(h -> h.createUpdate(
                        "update directory_secrets set active = :active, expire_time = :expires where id = :id and directory_id = :dir")
                .bind("id", s.id()).bind("dir", s.directoryId()).bind("active", s.active())
                .bind("expires", Timestamps.bind(s.expireTime().orElse(null))).execute());
    }

    @Override
    public void touchSecret(String secretId, Instant lastUsed) {
        tx.withHandle(h -> h.createUpdate("update directory_secrets set last_used_time = :used where id = :id")
                .bind("id", secretId).bind("used", Timestamps.bind(lastUsed)).execute());
    }

    @Override
    public List<RoleAssignment> roleAssignments(String environmentId, String directoryId) {
        return tx.withHandle(h -> h.createQuery("""
                        select group_id, role_name from directory_role_assignments
                        where environment_id = :env and directory_id = :dir order by position""")
                .bind("env", environmentId).bind("dir", directoryId)
                .map((rs, ctx) -> new RoleAssignment(rs.getString("group_id"), rs.getString("role_name"))).list());
    }

    @Override
    public void replaceRoleAssignments(String environmentId, String directoryId, List<RoleAssignment> assignments) {
        tx.withHandle(h -> {
            h.createUpdate("delete from directory_role_assignments where environment_id = :env and directory_id = :dir")
                    .bind("env", environmentId).bind("dir", directoryId).execute();
            int position = 0;
            for (RoleAssignment a : assignments) {
                h.createUpdate("""
                        insert into directory_role_assignments (environment_id, directory_id, position, group_id, role_name)
                        values (:env, :dir, :position, :group, :role)""")
                        .bind("env", environmentId).bind("dir", directoryId).bind("position", position++)
                        .bind("group", a.groupId()).bind("role", a.roleName()).execute();
            }
            return null;
        });
    }

    @Override
    public int countUsers(String environmentId, String directoryId) {
        return count("directory_users", environmentId, directoryId);
    }

    @Override
    public int countGroups(String environmentId, String directoryId) {
        return count("directory_groups", environmentId, directoryId);
    }

    private int count(String table, String environmentId, String directoryId) {
        return tx.withHandle(h -> h.createQuery(
                        "select count(*) from " + table + " where environment_id = :env and directory_id = :dir")
                .bind("env", environmentId).bind("dir", directoryId).mapTo(Integer.class).one());
    }
}
