package dev.gatehouse.core.client;

import dev.gatehouse.core.credential.SecretStatus;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import java.time.Instant;
import java.util.Optional;

/**
 * Storage port for the ClientService view of environment clients (the rows of
 * {@code EnvironmentClientRepository}, plus settings and secret status). Scoped by environment.
 */
public interface AppClientRepository {
    Optional<EnvironmentAppClient> find(String environmentId, String clientId);

    /** In ID order, each with its secrets; a non-empty {@code clientTypes} keeps only clients of those types. */
    Page<EnvironmentAppClient> list(String environmentId, java.util.List<String> clientTypes, PageRequest page);

    /** Locks the client row until the transaction ends; false when there is no such client in the environment. */
    boolean lock(String environmentId, String clientId);

    boolean update(String environmentId, String clientId, String name, String clientType, AppClientSettings settings,
                   Instant updateTime);

    boolean delete(String environmentId, String clientId);

    boolean updateSecretStatus(String environmentId, String clientId, String secretId, SecretStatus status, Instant updateTime);

    boolean deleteSecret(String environmentId, String clientId, String secretId);
}
