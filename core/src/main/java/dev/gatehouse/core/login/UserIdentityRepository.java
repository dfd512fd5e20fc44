package dev.gatehouse.core.login;

import java.util.List;
import java.util.Optional;

public interface UserIdentityRepository {
    Optional<UserIdentity> find(String environmentId, String connectionId, String subject);

    /** Inserts the link, or refreshes its attributes, email and last login time. */
    void save(UserIdentity identity);

    List<UserIdentity> listForUser(String environmentId, String userId);
}
