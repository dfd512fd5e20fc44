package dev.gatehouse.core.connection;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Storage port for organizations' domains; every method is scoped by environment. */
public interface DomainRepository {
    /** Inserts; throws {@code DomainException.AlreadyExists} when the environment already has this domain. */
    void insert(Domain domain);

    Optional<Domain> findById(String environmentId, String organizationId, String domainId);

    Optional<Domain> findByName(String environmentId, String name);

    /** The organization's domains in creation order, optionally of one type, from {@code offset}, at most {@code limit}. */
    List<Domain> listByOrganization(String environmentId, String organizationId, java.util.Optional<DomainType> type,
                                    int offset, int limit);

    /** Every domain of these organizations, in creation order. */
    List<Domain> listByOrganizations(String environmentId, Collection<String> organizationIds);

    boolean update(Domain domain);

    boolean delete(String environmentId, String organizationId, String domainId);
}
