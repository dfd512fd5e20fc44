package dev.gatehouse.core.client;

import java.util.Optional;

/** Finds the environment client a sign-in request names. Implementations may cache briefly. */
public interface AppClientDirectory {
    Optional<AppClient> find(String environmentId, String clientId);
}
