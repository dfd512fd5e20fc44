package dev.gatehouse.core.sessionpolicy;

import java.util.Optional;

/** Storage port for organizations' session policies; deleted with their organization. */
public interface SessionPolicyRepository {
    Optional<OrganizationSessionPolicy> find(String environmentId, String organizationId);

    /** Inserts or replaces the organization's policy. */
    void save(OrganizationSessionPolicy policy);
}
