package dev.gatehouse.core.social;

import java.util.List;
import java.util.Optional;

/** Port: an environment's social provider settings, one row per provider. */
public interface SocialConnectionRepository {
    List<SocialConnection> list(String environmentId);

    Optional<SocialConnection> find(String environmentId, SocialProvider provider);

    /** Inserts or replaces the environment's settings for the provider. */
    void save(SocialConnection connection);

    boolean delete(String environmentId, SocialProvider provider);
}
