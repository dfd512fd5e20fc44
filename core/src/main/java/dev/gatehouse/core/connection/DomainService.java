package dev.gatehouse.core.connection;

import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationRef;
import dev.gatehouse.core.organization.OrganizationRepository;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.shared.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The use cases of the Domains API. A domain is unique in its environment ignoring case, belongs to one
 * organization and may be assigned to one of its connections. Verification is by the management API's caller
 * (the app's backend, an admin: {@link #verify}); DNS TXT verification is not implemented (D-CN6).
 */
public final class DomainService {
    public static final int DEFAULT_PAGE_SIZE = 10;
    public static final int MAX_PAGE_SIZE = 100;

    private final DomainRepository domains;
    private final ConnectionRepository connections;
    private final OrganizationRepository organizations;
    private final IdGenerator ids;
    private final Clock clock;
    private final Transactions tx;

    public DomainService(DomainRepository domains, ConnectionRepository connections, OrganizationRepository organizations,
                         IdGenerator ids, Clock clock, Transactions tx) {
        this.domains = domains;
        this.connections = connections;
        this.organizations = organizations;
        this.ids = ids;
        this.clock = clock;
        this.tx = tx;
    }

    public Domain create(String environmentId, OrganizationRef organization, String name, Optional<DomainType> type,
                         Optional<String> connectionId) {
        String normalized = switch (DomainNames.normalize(name)) {
            case DomainNames.Result.Valid valid -> valid.name();
            case DomainNames.Result.Invalid invalid ->
                    throw DomainException.InvalidArgument.of("domain.domain", invalid.reason(), "string.hostname");
        };
        return tx.inTransaction(() -> {
            String organizationId = organization(environmentId, organization).id();
            connectionId.ifPresent(id -> requireConnection(environmentId, organizationId, id));
            Instant now = now();
            Domain domain = new Domain(ids.next(IdPrefix.DOMAIN), environmentId, organizationId, connectionId, normalized,
                    type.orElse(DomainType.ORGANIZATION_DOMAIN), VerificationStatus.PENDING, Optional.empty(), now, now);
            domains.insert(domain);
            return domain;
        });
    }

    public Domain get(String environmentId, OrganizationRef organization, String domainId) {
        String organizationId = organization(environmentId, organization).id();
        return domains.findById(environmentId, organizationId, domainId)
                .orElseThrow(() -> new DomainException.NotFound("domain " + domainId + " not found"));
    }

    /** One page of the organization's domains; {@code pageNumber} counts from 1 (0 also means the first page). */
    public List<Domain> list(String environmentId, OrganizationRef organization, Optional<DomainType> type,
                             int pageNumber, int pageSize) {
        if (pageSize < 0 || pageSize > MAX_PAGE_SIZE) {
            throw DomainException.InvalidArgument.of("page_size", "page_size must be between 0 and " + MAX_PAGE_SIZE, "int32.lte");
        }
        if (pageNumber < 0) {
            throw DomainException.InvalidArgument.of("page_number", "page_number must not be negative", "int32.gte");
        }
        int size = pageSize == 0 ? DEFAULT_PAGE_SIZE : pageSize;
        long offset = (long) (Math.max(pageNumber, 1) - 1) * size;
        if (offset > Integer.MAX_VALUE) {
            return List.of();
        }
        String organizationId = organization(environmentId, organization).id();
        return domains.listByOrganization(environmentId, organizationId, type, (int) offset, size);
    }

    public void delete(String environmentId, OrganizationRef organization, String domainId) {
        tx.inTransaction(() -> {
            Domain domain = get(environmentId, organization, domainId);
            if (!domains.delete(environmentId, domain.organizationId(), domain.id())) {
                throw new DomainException.NotFound("domain " + domainId + " not found");
            }
            return null;
        });
    }

    /** Assigns the domain to one of its organization's connections, or (empty) to none. */
    public Domain assignConnection(String environmentId, OrganizationRef organization, String domainId,
                                   Optional<String> connectionId) {
        return tx.inTransaction(() -> {
            Domain domain = get(environmentId, organization, domainId);
            connectionId.ifPresent(id -> requireConnection(environmentId, domain.organizationId(), id));
            Domain updated = domain.withConnection(connectionId, now());
            domains.update(updated);
            return updated;
        });
    }

    /** Marks the domain verified by the admin (the management API's caller). */
    public Domain verify(String environmentId, OrganizationRef organization, String domainId) {
        return tx.inTransaction(() -> {
            Domain domain = get(environmentId, organization, domainId);
            if (domain.verificationStatus() == VerificationStatus.VERIFIED) {
                return domain;
            }
            Domain updated = domain.verified(now());
            domains.update(updated);
            return updated;
        });
    }

    private Organization organization(String environmentId, OrganizationRef ref) {
        Optional<Organization> found = switch (ref) {
            case OrganizationRef.ById byId -> organizations.findById(environmentId, byId.id());
            case OrganizationRef.ByExternalId byExternal -> organizations.findByExternalId(environmentId, byExternal.externalId());
        };
        return found.orElseThrow(() -> new DomainException.NotFound("organization not found"));
    }

    private void requireConnection(String environmentId, String organizationId, String connectionId) {
        connections.findById(environmentId, connectionId)
                .filter(c -> c.organizationId().equals(organizationId))
                .orElseThrow(() -> new DomainException.NotFound("connection " + connectionId + " not found"));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
