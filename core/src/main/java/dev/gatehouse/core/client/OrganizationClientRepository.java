package dev.gatehouse.core.client;

import dev.gatehouse.core.credential.ClientSecret;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import java.util.List;
import java.util.Optional;

/**
 * Storage port for organization M2M clients and their secrets. Every method is scoped by environment
 * and organization, except {@link #findForAuthentication}: client IDs are globally unique, so the token
 * endpoint can find a client before it knows the environment (as {@code EnvironmentClientRepository.findById}).
 * Clients come back with their secrets.
 */
public interface OrganizationClientRepository {
    void insert(OrganizationClient client);

    Optional<OrganizationClient> find(String environmentId, String organizationId, String clientId);

    Optional<OrganizationClient> findForAuthentication(String clientId);

    Page<OrganizationClient> list(String environmentId, String organizationId, PageRequest page);

    /** Locks the client row until the transaction ends; false when there is no such client there. */
    boolean lock(String environmentId, String organizationId, String clientId);

    /** Replaces the stored fields (not the secrets); false when no such client exists there. */
    boolean update(OrganizationClient client);

    boolean delete(String environmentId, String organizationId, String clientId);

    void insertSecret(String environmentId, ClientSecret secret);

    List<ClientSecret> secrets(String environmentId, String clientId);

    boolean deleteSecret(String environmentId, String clientId, String secretId);
}
