package dev.gatehouse.core.user;

import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import java.util.Optional;

/** Storage port for users. Every method is scoped by environment. */
public interface UserRepository {
    /** Inserts; throws {@code DomainException.AlreadyExists} on a duplicate email (case-insensitive) or external_id. */
    void insert(User user);

    Optional<User> findById(String environmentId, String userId);

    /**
     * The user with their membership in the organization (empty when they have none there), in one read; empty when
     * the user does not exist in the environment.
     */
    Optional<UserWithMembership> findWithMembership(String environmentId, String userId, String organizationId);

    /**
     * The user with all their memberships (ordered by organization ID), in one read; empty when the user does not
     * exist in the environment.
     */
    Optional<UserView> findWithMemberships(String environmentId, String userId);

    Optional<User> findByExternalId(String environmentId, String externalId);

    /** Case-insensitive. */
    Optional<User> findByEmail(String environmentId, String email);

    /** All users of the environment, in ID (creation) order. */
    Page<User> list(String environmentId, PageRequest page);

    /** Users with a membership (in any state) in the organization, in ID order. */
    Page<User> listInOrganization(String environmentId, String organizationId, PageRequest page);

    /** Case-insensitive match of {@code query} in the email, ID or external ID, in ID order. */
    Page<User> search(String environmentId, String query, PageRequest page);

    /** As {@link #search}, among the users with a membership in the organization. */
    Page<User> searchInOrganization(String environmentId, String organizationId, String query, PageRequest page);

    /** Replaces the stored row; false when no such user exists in the environment. */
    boolean update(User user);

    /** Deletes the user and (by cascade) their memberships; false when absent. */
    boolean delete(String environmentId, String userId);
}
