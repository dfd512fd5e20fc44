package dev.gatehouse.core.user;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Storage port for memberships. Every method is scoped by environment, and by organization where one is named. */
public interface MembershipRepository {
    /** Inserts; throws {@code DomainException.AlreadyExists} when the user is already a member. */
    void insert(Membership membership);

    Optional<Membership> find(String environmentId, String organizationId, String userId);

    /** The memberships of the given users, ordered by user then organization. */
    List<Membership> listForUsers(String environmentId, Collection<String> userIds);

    boolean update(Membership membership);

    boolean delete(String environmentId, String organizationId, String userId);

    long countForUser(String environmentId, String userId);

    long countInOrganization(String environmentId, String organizationId);
}
