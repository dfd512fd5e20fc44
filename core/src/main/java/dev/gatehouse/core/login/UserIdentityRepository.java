package dev.gatehouse.core.login;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public interface UserIdentityRepository {
    Optional<UserIdentity> find(String environmentId, String connectionId, String subject);

    /** Inserts the link, or refreshes its attributes, email and last login time. */
    void save(UserIdentity identity);

    /** The user's linked identities, oldest link first. */
    List<UserIdentity> listForUser(String environmentId, String userId);

    /** The linked identities of each of {@code userIds} (a page of users), oldest link first; one query. */
    Map<String, List<UserIdentity>> listForUsers(String environmentId, Collection<String> userIds);
}
