package dev.gatehouse.core.credential;

import java.util.List;
import java.util.Optional;

/** Storage port for environment management clients and their secrets. */
public interface EnvironmentClientRepository {
    void insert(EnvironmentClient client);

    void insertSecret(String environmentId, ClientSecret secret);

    /** Client IDs are unique across environments, so the token endpoint can find a client before it knows the environment. */
    Optional<EnvironmentClient> findById(String clientId);

    List<ClientSecret> secrets(String environmentId, String clientId);

    List<EnvironmentClient> list(String environmentId);
}
