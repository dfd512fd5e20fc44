package dev.gatehouse.core.directory;

import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Storage port for the users, groups and memberships a directory provisions. Every method is scoped by
 * environment and directory: a resource of another directory is never found, listed, changed or deleted.
 */
public interface DirectoryResourceRepository {
    /** Throws {@code DomainException.AlreadyExists("userName")} on a userName already used in the directory (case-insensitive). */
    void insertUser(DirectoryUser user);

    /** Same uniqueness rule as insert; false when the user does not exist in the directory. */
    boolean updateUser(DirectoryUser user);

    boolean deleteUser(String environmentId, String directoryId, String userId);

    Optional<DirectoryUser> findUser(String environmentId, String directoryId, String userId);

    /** Reads the user and locks its row until the transaction ends (serialises concurrent PUT/PATCH of one user). */
    Optional<DirectoryUser> lockUser(String environmentId, String directoryId, String userId);

    /** Case-insensitive, as userName is caseExact=false in RFC 7643 §4.1.1. */
    Optional<DirectoryUser> findUserByUserName(String environmentId, String directoryId, String userName);

    /**
     * {@link #findUserByUserName} and {@link #groupsOfUser} in one round trip: the {@code userName eq} lookup an IdP
     * makes before every create (D-SP3).
     */
    Optional<DirectoryUserWithGroups> findUserWithGroupsByUserName(String environmentId, String directoryId, String userName);

    List<DirectoryUser> allUsers(String environmentId, String directoryId);

    /**
     * The directory users of every directory of the environment that are linked to this environment user: the one
     * lookup across directories, for the users sync (an environment user may be provisioned by several directories).
     */
    List<DirectoryUser> usersLinkedTo(String environmentId, String linkedUserId);

    /** Keyset page in ID order, optionally narrowed to members of a group and to users updated after a time. */
    Page<DirectoryUser> listUsers(String environmentId, String directoryId, PageRequest page,
                                  Optional<String> groupId, Optional<Instant> updatedAfter);

    /** Group displayNames are not unique (RFC 7643 §4.2 does not require it). */
    void insertGroup(DirectoryGroup group);

    boolean updateGroup(DirectoryGroup group);

    boolean deleteGroup(String environmentId, String directoryId, String groupId);

    Optional<DirectoryGroup> findGroup(String environmentId, String directoryId, String groupId);

    /** Reads the group and locks its row until the transaction ends (serialises concurrent member changes). */
    Optional<DirectoryGroup> lockGroup(String environmentId, String directoryId, String groupId);

    List<DirectoryGroup> allGroups(String environmentId, String directoryId);

    Page<DirectoryGroup> listGroups(String environmentId, String directoryId, PageRequest page, Optional<Instant> updatedAfter);

    /** User IDs of the group's members, in ID order. */
    List<String> memberIds(String environmentId, String directoryId, String groupId);

    /** Adds the users (already checked to exist in the directory); present members are left as they are. */
    void addMembers(String environmentId, String directoryId, String groupId, Collection<String> userIds);

    void removeMembers(String environmentId, String directoryId, String groupId, Collection<String> userIds);

    /** The groups a user is a member of, in ID order. */
    List<DirectoryGroup> groupsOfUser(String environmentId, String directoryId, String userId);

    int countMembers(String environmentId, String directoryId, String groupId);
}
