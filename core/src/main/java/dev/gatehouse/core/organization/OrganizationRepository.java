package dev.gatehouse.core.organization;

import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import java.util.Optional;

/**
 * Storage port for organizations. Every method is scoped by environment: an organization of
 * another environment is never found, listed, changed or deleted.
 */
public interface OrganizationRepository {
    /** Inserts; throws {@code DomainException.AlreadyExists} on a duplicate external_id in the environment. */
    void insert(Organization organization);

    Optional<Organization> findById(String environmentId, String organizationId);

    Optional<Organization> findByExternalId(String environmentId, String externalId);

    /** Lists in ID (creation) order; {@code externalId} narrows to that one external ID when present. */
    Page<Organization> list(String environmentId, PageRequest page, Optional<String> externalId);

    /** Case-insensitive match of {@code query} in the name, ID or external ID. */
    Page<Organization> search(String environmentId, String query, PageRequest page);

    /** Replaces the stored row; false when no such organization exists in the environment. */
    boolean update(Organization organization);

    boolean delete(String environmentId, String organizationId);
}
