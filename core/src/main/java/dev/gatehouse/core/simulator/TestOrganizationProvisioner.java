package dev.gatehouse.core.simulator;

import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.connection.ConnectionFilter;
import dev.gatehouse.core.connection.ConnectionProvider;
import dev.gatehouse.core.connection.ConnectionRepository;
import dev.gatehouse.core.connection.ConnectionService;
import dev.gatehouse.core.connection.ConnectionType;
import dev.gatehouse.core.connection.Domain;
import dev.gatehouse.core.connection.DomainRepository;
import dev.gatehouse.core.connection.DomainType;
import dev.gatehouse.core.connection.NewConnection;
import dev.gatehouse.core.connection.VerificationStatus;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.environment.EnvironmentType;
import dev.gatehouse.core.organization.NewOrganization;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationService;
import dev.gatehouse.core.organization.RegionCode;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.shared.PageRequest;
import dev.gatehouse.core.shared.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gives a development environment Scalekit's pre-made "Test Organization" (spec-sso.md §6.2): an organization with
 * the reserved domains {@code example.com} and {@code example.org} and an enabled connection to the built-in IdP
 * simulator. Idempotent: an environment that already has an IdP-simulator connection is left alone, so a restart
 * creates nothing; one without (a deleted test organization, an environment of an older version) gets it (D-SIM1).
 */
public final class TestOrganizationProvisioner implements TestOrganizations {
    public static final String NAME = "Test Organization";
    /** Scalekit's test organization domains; reserved for documentation by RFC 2606, so no real user has them. */
    public static final List<String> DOMAINS = List.of("example.com", "example.org");

    private static final ConnectionFilter SIMULATORS = new ConnectionFilter(Optional.empty(),
            Optional.of(ConnectionProvider.IDP_SIMULATOR), Optional.empty(), Optional.empty(), Optional.empty());

    private final OrganizationService organizations;
    private final ConnectionService connectionService;
    private final ConnectionRepository connections;
    private final DomainRepository domains;
    private final IdGenerator ids;
    private final Clock clock;
    private final Transactions tx;

    public TestOrganizationProvisioner(OrganizationService organizations, ConnectionService connectionService,
                                       ConnectionRepository connections, DomainRepository domains, IdGenerator ids,
                                       Clock clock, Transactions tx) {
        this.organizations = organizations;
        this.connectionService = connectionService;
        this.connections = connections;
        this.domains = domains;
        this.ids = ids;
        this.clock = clock;
        this.tx = tx;
    }

    @Override
    public Optional<Connection> ensure(Environment environment) {
        if (environment.type() != EnvironmentType.DEVELOPMENT) {
            return Optional.empty();
        }
        return Optional.of(tx.inTransaction(() -> existing(environment.id()).orElseGet(() -> create(environment.id()))));
    }

    private Optional<Connection> existing(String environmentId) {
        return connections.page(environmentId, SIMULATORS, PageRequest.first(1)).items().stream().findFirst();
    }

    private Connection create(String environmentId) {
        Organization organization = organizations.create(environmentId, new NewOrganization(NAME, RegionCode.UNSPECIFIED,
                Optional.empty(), Map.of(), Optional.empty(), Optional.empty()));
        Connection created = connectionService.create(environmentId, organization.id(),
                new NewConnection(ConnectionType.OIDC, ConnectionProvider.IDP_SIMULATOR));
        connectionService.setEnabled(environmentId, Optional.of(organization.id()), created.id(), true);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        for (String name : DOMAINS) {
            // A domain another organization already claimed stays theirs; the test organization goes without it.
            if (domains.findByName(environmentId, name).isEmpty()) {
                domains.insert(new Domain(ids.next(IdPrefix.DOMAIN), environmentId, organization.id(), Optional.empty(),
                        name, DomainType.ORGANIZATION_DOMAIN, VerificationStatus.VERIFIED, Optional.of(now), now, now));
            }
        }
        return connections.findById(environmentId, created.id()).orElseThrow();
    }
}
