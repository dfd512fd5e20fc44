package dev.gatehouse.core.directory;

import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import java.util.List;
import java.util.Optional;

/**
 * Hands a directory user to the {@link DirectoryUserLinker} with the roles its groups map to, and records the link
 * it returns in {@code directory_users.linked_user_id}. Used by the SCIM endpoint after every user or membership change
 * and by {@link DirectoryService#assignRoles} (a new mapping re-links every user of the directory). Runs inside the
 * caller's transaction.
 */
public final class DirectoryUserSync {
    private static final int PAGE = 500;

    private final DirectoryRepository directories;
    private final DirectoryResourceRepository resources;
    private final DirectoryUserLinker linker;

    public DirectoryUserSync(DirectoryRepository directories, DirectoryResourceRepository resources, DirectoryUserLinker linker) {
        this.directories = directories;
        this.resources = resources;
        this.linker = linker;
    }

    public boolean enabled() {
        return linker != DirectoryUserLinker.NONE;
    }

    /** See {@link DirectoryUserLinker#prepare}: call before the transaction opens. */
    public void prepare(Directory directory) {
        linker.prepare(directory);
    }

    /** Links (or updates the linked) environment user; returns the directory user with its link as stored. */
    public DirectoryUser link(Directory directory, DirectoryUser user) {
        if (!enabled()) {
            return user;
        }
        return link(directory, user, directories.roleAssignments(directory.environmentId(), directory.id()));
    }

    /**
     * Links the user with the directory's role mappings and the user's groups already read by the caller (a SCIM
     * write reads each once and uses them for the link, the event and the response).
     */
    public DirectoryUser link(Directory directory, DirectoryUser user, List<RoleAssignment> assignments,
                              List<DirectoryGroup> groups) {
        if (!enabled()) {
            return user;
        }
        return linkWithGroups(directory, user, assignments, groups.stream().map(DirectoryGroup::id).toList());
    }

    /**
     * Links a user that is not stored yet (a SCIM create, in no group): returns it with the link set, for the caller
     * to insert; nothing is written to {@code directory_users} here (one insert instead of an insert and an update).
     */
    public DirectoryUser linkUnstored(Directory directory, DirectoryUser user, List<RoleAssignment> assignments) {
        if (!enabled()) {
            return user;
        }
        Optional<String> linked = linker.upsert(directory, user, DirectoryService.rolesFor(assignments, List.of()));
        return linked.isPresent() && !linked.equals(user.linkedUserId()) ? withLink(user, linked) : user;
    }

    /** Every directory user again, e.g. after the group-to-role mappings changed; a page at a time. */
    public void linkAll(Directory directory) {
        if (!enabled()) {
            return;
        }
        List<RoleAssignment> assignments = directories.roleAssignments(directory.environmentId(), directory.id());
        PageRequest request = PageRequest.first(PAGE);
        while (true) {
            Page<DirectoryUser> page = resources.listUsers(directory.environmentId(), directory.id(), request,
                    Optional.empty(), Optional.empty());
            page.items().forEach(user -> link(directory, user, assignments));
            if (page.next().isEmpty() || page.items().isEmpty()) {
                return;
            }
            request = new PageRequest(PAGE, page.next());
        }
    }

    public void deprovision(Directory directory, DirectoryUser user) {
        linker.deprovision(directory, user);
    }

    private DirectoryUser link(Directory directory, DirectoryUser user, List<RoleAssignment> assignments) {
        List<String> groupIds = resources.groupsOfUser(directory.environmentId(), directory.id(), user.id()).stream()
                .map(DirectoryGroup::id).toList();
        return linkWithGroups(directory, user, assignments, groupIds);
    }

    private DirectoryUser linkWithGroups(Directory directory, DirectoryUser user, List<RoleAssignment> assignments,
                                         List<String> groupIds) {
        Optional<String> linked = linker.upsert(directory, user, DirectoryService.rolesFor(assignments, groupIds));
        if (linked.isPresent() && !linked.equals(user.linkedUserId())) {
            DirectoryUser withLink = withLink(user, linked);
            resources.updateUser(withLink);
            return withLink;
        }
        return user;
    }

    private static DirectoryUser withLink(DirectoryUser user, Optional<String> linked) {
        return new DirectoryUser(user.id(), user.environmentId(), user.directoryId(), user.userName(),
                user.externalId(), user.active(), user.email(), user.givenName(), user.familyName(), user.displayName(),
                user.resourceJson(), linked, user.createTime(), user.updateTime());
    }
}
