package dev.gatehouse.store;

import dev.gatehouse.core.directory.DirectoryGroup;
import dev.gatehouse.core.directory.DirectoryResourceRepository;
import dev.gatehouse.core.directory.DirectoryUser;
import dev.gatehouse.core.directory.DirectoryUserWithGroups;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Update;

public final class JdbiDirectoryResourceRepository implements DirectoryResourceRepository {
    private static final String USER_NAME_UNIQUE = "directory_users_user_name_unique";

    private static final RowMapper<DirectoryUser> USER = (rs, ctx) -> new DirectoryUser(
            rs.getString("id"),
            rs.getString("environment_id"),
            rs.getString("directory_id"),
            rs.getString("user_name"),
            Optional.ofNullable(rs.getString("external_id")),
            rs.getBoolean("active"),
            Optional.ofNullable(rs.getString("email")),
            Optional.ofNullable(rs.getString("given_name")),
            Optional.ofNullable(rs.getString("family_name")),
            Optional.ofNullable(rs.getString("display_name")),
            rs.getString("resource"),
            Optional.ofNullable(rs.getString("linked_user_id")),
            Timestamps.read(rs, "create_time"),
            Timestamps.read(rs, "update_time"));

    private static final RowMapper<DirectoryGroup> GROUP = (rs, ctx) -> new DirectoryGroup(
            rs.getString("id"),
            rs.getString("environment_id"),
            rs.getString("directory_id"),
            rs.getString("display_name"),
            Optional.ofNullable(rs.getString("external_id")),
            rs.getString("resource"),
            Timestamps.read(rs, "create_time"),
            Timestamps.read(rs, "update_time"));

    /** A group's columns as {@code g_*}, next to a user's in a join. */
    private static final RowMapper<DirectoryGroup> PREFIXED_GROUP = (rs, ctx) -> new DirectoryGroup(
            rs.getString("g_id"),
            rs.getString("g_environment_id"),
            rs.getString("g_directory_id"),
            rs.getString("g_display_name"),
            Optional.ofNullable(rs.getString("g_external_id")),
            rs.getString("g_resource"),
            Timestamps.read(rs, "g_create_time"),
            Timestamps.read(rs, "g_update_time"));

    private final JdbiTransactions tx;

    public JdbiDirectoryResourceRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insertUser(DirectoryUser user) {
        try {
            tx.withHandle(h -> bindUser(h.createUpdate("""
                    insert into directory_users (id, environment_id, directory_id, user_name, user_name_lower, external_id,
                        active, email, email_lower, given_name, family_name, display_name, resource, linked_user_id,
                        create_time, update_time)
                    values (:id, :env, :dir, :user_name, :user_name_lower, :external_id, :active, :email, :email_lower,
                        :given_name, :family_name, :display_name, :resource, :linked, :created, :updated)"""), user)
                    .execute());
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public boolean updateUser(DirectoryUser user) {
        try {
            return tx.withHandle(h -> bindUser(h.createUpdate("""
                    update directory_users set user_name = :user_name, user_name_lower = :user_name_lower,
                        external_id = :external_id, active = :active, email = :email, email_lower = :email_lower,
                        given_name = :given_name, family_name = :family_name, display_name = :display_name,
                        resource = :resource, linked_user_id = :linked, update_time = :updated
                    where environment_id = :env and directory_id = :dir and id = :id"""), user).execute()) == 1;
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public boolean deleteUser(String environmentId, String directoryId, String userId) {
        return tx.withHandle(h -> h.createUpdate(
                        "delete from directory_users where environment_id = :env and directory_id = :dir and id = :id")
                .bind("env", environmentId).bind("dir", directoryId).bind("id", userId).execute()) == 1;
    }

    @Override
    public Optional<DirectoryUser> findUser(String environmentId, String directoryId, String userId) {
        return tx.withHandle(h -> h.createQuery(
                        "select * from directory_users where environment_id = :env and directory_id = :dir and id = :id")
                .bind("env", environmentId).bind("dir", directoryId).bind("id", userId).map(USER).findOne());
    }

    @Override
    public Optional<DirectoryUser> lockUser(String environmentId, String directoryId, String userId) {
        return tx.withHandle(h -> h.createQuery("""
                        select * from directory_users where environment_id = :env and directory_id = :dir and id = :id
                        for update""")
                .bind("env", environmentId).bind("dir", directoryId).bind("id", userId).map(USER).findOne());
    }

    @Override
    public Optional<DirectoryUser> findUserByUserName(String environmentId, String directoryId, String userName) {
        return tx.withHandle(h -> h.createQuery("""
                        select * from directory_users
                        where environment_id = :env and directory_id = :dir and user_name_lower = :name""")
                .bind("env", environmentId).bind("dir", directoryId).bind("name", userName.toLowerCase(Locale.ROOT))
                .map(USER).findOne());
    }

    @Override
    public Optional<DirectoryUserWithGroups> findUserWithGroupsByUserName(String environmentId, String directoryId,
                                                                          String userName) {
        List<Object[]> rows = tx.withHandle(h -> h.createQuery("""
                        select u.*, g.id as g_id, g.environment_id as g_environment_id, g.directory_id as g_directory_id,
                            g.display_name as g_display_name, g.external_id as g_external_id, g.resource as g_resource,
                            g.create_time as g_create_time, g.update_time as g_update_time
                        from directory_users u
                        left join group_members m on m.user_id = u.id and m.directory_id = u.directory_id
                            and m.environment_id = u.environment_id
                        left join directory_groups g on g.id = m.group_id
                        where u.environment_id = :env and u.directory_id = :dir and u.user_name_lower = :name
                        order by g.id""")
                .bind("env", environmentId).bind("dir", directoryId).bind("name", userName.toLowerCase(Locale.ROOT))
                .map((rs, ctx) -> new Object[] {USER.map(rs, ctx),
                        rs.getString("g_id") == null ? null : PREFIXED_GROUP.map(rs, ctx)})
                .list());
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<DirectoryGroup> groups = rows.stream().map(r -> (DirectoryGroup) r[1]).filter(Objects::nonNull).toList();
        return Optional.of(new DirectoryUserWithGroups((DirectoryUser) rows.getFirst()[0], groups));
    }

    @Override
    public List<DirectoryUser> allUsers(String environmentId, String directoryId) {
        return tx.withHandle(h -> h.createQuery(
                        "select * from directory_users where environment_id = :env and directory_id = :dir order by id")
                .bind("env", environmentId).bind("dir", directoryId).map(USER).list());
    }

    @Override
    public List<DirectoryUser> usersLinkedTo(String environmentId, String linkedUserId) {
        return tx.withHandle(h -> h.createQuery(
                        "select * from directory_users where environment_id = :env and linked_user_id = :linked order by id")
                .bind("env", environmentId).bind("linked", linkedUserId).map(USER).list());
    }

    @Override
    public Page<DirectoryUser> listUsers(String environmentId, String directoryId, PageRequest page,
                                         Optional<String> groupId, Optional<Instant> updatedAfter) {
        Map<String, Object> parameters = new TreeMap<>();
        parameters.put("env", environmentId);
        parameters.put("dir", directoryId);
        String filter = "environment_id = :env and directory_id = :dir";
        if (groupId.isPresent()) {
            filter += " and id in (select user_id from group_members where directory_id = :dir and group_id = :group)";
            parameters.put("group", groupId.get());
        }
        if (updatedAfter.isPresent()) {
            filter += " and update_time > :after";
            parameters.put("after", Timestamps.bind(updatedAfter.get()));
        }
        KeysetPager<DirectoryUser> pager = new KeysetPager<>("directory_users", filter, parameters, USER, DirectoryUser::id);
        return tx.withHandle(h -> pager.page(h, page));
    }

    @Override
    public void insertGroup(DirectoryGroup g) {
        tx.withHandle(h -> bindGroup(h.createUpdate("""
                insert into directory_groups (id, environment_id, directory_id, display_name, external_id, resource,
                    create_time, update_time)
                values (:id, :env, :dir, :display_name, :external_id, :resource, :created, :updated)"""), g).execute());
    }

    @Override
    public boolean updateGroup(DirectoryGroup g) {
        return tx.withHandle(h -> bindGroup(h.createUpdate("""
                update directory_groups set display_name = :display_name, external_id = :external_id,
                    resource = :resource, update_time = :updated
                where environment_id = :env and directory_id = :dir and id = :id"""), g).execute()) == 1;
    }

    @Override
    public boolean deleteGroup(String environmentId, String directoryId, String groupId) {
        return tx.withHandle(h -> h.createUpdate(
                        "delete from directory_groups where environment_id = :env and directory_id = :dir and id = :id")
                .bind("env", environmentId).bind("dir", directoryId).bind("id", groupId).execute()) == 1;
    }

    @Override
    public Optional<DirectoryGroup> findGroup(String environmentId, String directoryId, String groupId) {
        return tx.withHandle(h -> h.createQuery(
                        "select * from directory_groups where environment_id = :env and directory_id = :dir and id = :id")
                .bind("env", environmentId).bind("dir", directoryId).bind("id", groupId).map(GROUP).findOne());
    }

    @Override
    public Optional<DirectoryGroup> lockGroup(String environmentId, String directoryId, String groupId) {
        return tx.withHandle(h -> h.createQuery("""
                        select * from directory_groups where environment_id = :env and directory_id = :dir and id = :id
                        for update""")
                .bind("env", environmentId).bind("dir", directoryId).bind("id", groupId).map(GROUP).findOne());
    }

    @Override
    public List<DirectoryGroup> allGroups(String environmentId, String directoryId) {
        return tx.withHandle(h -> h.createQuery(
                        "select * from directory_groups where environment_id = :env and directory_id = :dir order by id")
                .bind("env", environmentId).bind("dir", directoryId).map(GROUP).list());
    }

    @Override
    public Page<DirectoryGroup> listGroups(String environmentId, String directoryId, PageRequest page,
                                           Optional<Instant> updatedAfter) {
        Map<String, Object> parameters = new TreeMap<>();
        parameters.put("env", environmentId);
        parameters.put("dir", directoryId);
        String filter = "environment_id = :env and directory_id = :dir";
        if (updatedAfter.isPresent()) {
            filter += " and update_time > :after";
            parameters.put("after", Timestamps.bind(updatedAfter.get()));
        }
        KeysetPager<DirectoryGroup> pager = new KeysetPager<>("directory_groups", filter, parameters, GROUP, DirectoryGroup::id);
        return tx.withHandle(h -> pager.page(h, page));
    }

    @Override
    public List<String> memberIds(String environmentId, String directoryId, String groupId) {
        return tx.withHandle(h -> h.createQuery("""
                        select user_id from group_members
                        where environment_id = :env and directory_id = :dir and group_id = :group order by user_id""")
                .bind("env", environmentId).bind("dir", directoryId).bind("group", groupId).mapTo(String.class).list());
    }

    @Override
    public void addMembers(String environmentId, String directoryId, String groupId, Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return;
        }
        Set<String> present = new HashSet<>(memberIds(environmentId, directoryId, groupId));
        Set<String> toAdd = new TreeSet<>(userIds);
        toAdd.removeAll(present);
        tx.withHandle(h -> {
            for (String userId : toAdd) {
                h.createUpdate("""
                        insert into group_members (environment_id, directory_id, group_id, user_id)
                        values (:env, :dir, :group, :user)""")
                        .bind("env", environmentId).bind("dir", directoryId).bind("group", groupId).bind("user", userId)
                        .execute();
            }
            return null;
        });
    }

    @Override
    public void removeMembers(String environmentId, String directoryId, String groupId, Collection<String> userIds) {
        tx.withHandle(h -> {
            for (String userId : new TreeSet<>(userIds)) {
                h.createUpdate("""
                        delete from group_members
                        where environment_id = :env and directory_id = :dir and group_id = :group and user_id = :user""")
                        .bind("env", environmentId).bind("dir", directoryId).bind("group", groupId).bind("user", userId)
                        .execute();
            }
            return null;
        });
    }

    @Override
    public List<DirectoryGroup> groupsOfUser(String environmentId, String directoryId, String userId) {
        return tx.withHandle(h -> h.createQuery("""
                        select g.* from directory_groups g join group_members m on m.group_id = g.id
                        where m.environment_id = :env and m.directory_id = :dir and m.user_id = :user order by g.id""")
                .bind("env", environmentId).bind("dir", directoryId).bind("user", userId).map(GROUP).list());
    }

    @Override
    public int countMembers(String environmentId, String directoryId, String groupId) {
        return tx.withHandle(h -> h.createQuery("""
                        select count(*) from group_members
                        where environment_id = :env and directory_id = :dir and group_id = :group""")
                .bind("env", environmentId).bind("dir", directoryId).bind("group", groupId).mapTo(Integer.class).one());
    }

    private static Update bindUser(Update update, DirectoryUser u) {
        return update
                .bind("id", u.id())
                .bind("env", u.environmentId())
                .bind("dir", u.directoryId())
                .bind("user_name", u.userName())
                .bind("user_name_lower", u.userName().toLowerCase(Locale.ROOT))
                .bind("external_id", u.externalId().orElse(null))
                .bind("active", u.active())
                .bind("email", u.email().orElse(null))
                .bind("email_lower", u.email().map(e -> e.toLowerCase(Locale.ROOT)).orElse(null))
                .bind("given_name", u.givenName().orElse(null))
                .bind("family_name", u.familyName().orElse(null))
                .bind("display_name", u.displayName().orElse(null))
                .bind("resource", u.resourceJson())
                .bind("linked", u.linkedUserId().orElse(null))
                .bind("created", Timestamps.bind(u.createTime()))
                .bind("updated", Timestamps.bind(u.updateTime()));
    }

    private static Update bindGroup(Update update, DirectoryGroup g) {
        return update
                .bind("id", g.id())
                .bind("env", g.environmentId())
                .bind("dir", g.directoryId())
                .bind("display_name", g.displayName())
                .bind("external_id", g.externalId().orElse(null))
                .bind("resource", g.resourceJson())
                .bind("created", Timestamps.bind(g.createTime()))
                .bind("updated", Timestamps.bind(g.updateTime()));
    }

    private static RuntimeException translate(RuntimeException e) {
        if (SqlErrors.isUniqueViolation(e, USER_NAME_UNIQUE)) {
            return new DomainException.AlreadyExists("userName", "a user with this userName already exists in the directory");
        }
        return e;
    }
}
