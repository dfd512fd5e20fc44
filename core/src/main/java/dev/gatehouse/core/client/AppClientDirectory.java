package dev.gatehouse.core.client;

import java.util.Optional;

/** Finds an environment's application client by its ID. */
public interface AppClientDirectory {
    Optional<AppClient> find(String environmentId, String clientId);
}
