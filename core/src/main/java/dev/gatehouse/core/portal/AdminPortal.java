package dev.gatehouse.core.portal;

import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.connection.ConnectionPatch;
import dev.gatehouse.core.connection.ConnectionService;
import dev.gatehouse.core.connection.ConnectionStatus;
import dev.gatehouse.core.connection.Domain;
import dev.gatehouse.core.connection.DomainService;
import dev.gatehouse.core.connection.NewConnection;
import dev.gatehouse.core.directory.Directory;
import dev.gatehouse.core.directory.DirectoryProvider;
import dev.gatehouse.core.directory.DirectorySecret;
import dev.gatehouse.core.directory.DirectoryService;
import dev.gatehouse.core.directory.DirectoryType;
import dev.gatehouse.core.directory.IssuedDirectorySecret;
import dev.gatehouse.core.login.LoginService;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationFeature;
import dev.gatehouse.core.organization.OrganizationRef;
import dev.gatehouse.core.organization.OrganizationRepository;
import dev.gatehouse.core.shared.DomainException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What an IT admin may do in the admin portal (docs/DECISIONS.md D-AP3), always within the portal session's one
 * organization and its link's features, and always through the same core services as the management API (so the
 * same validation and the same events). Every change appends an audit record {@code portal.<change>} whose actor is
 * the portal link; reading a resource of another organization is refused as not found and audited.
 */
public final class AdminPortal {
    public static final String TYPE_PREFIX = "portal.";
    /** Domains shown and managed in the portal (the first page of the organization's). */
    public static final int MAX_DOMAINS = 100;

    private final OrganizationRepository organizations;
    private final ConnectionService connections;
    private final DomainService domains;
    private final DirectoryService directories;
    private final LoginService logins;
    private final PortalLinkService links;
    private final AuditTrail audit;
    private final Clock clock;

    public AdminPortal(OrganizationRepository organizations, ConnectionService connections, DomainService domains,
                       DirectoryService directories, LoginService logins, PortalLinkService links, AuditTrail audit,
                       Clock clock) {
        this.organizations = organizations;
        this.connections = connections;
        this.domains = domains;
        this.directories = directories;
        this.logins = logins;
        this.links = links;
        this.audit = audit;
        this.clock = clock;
    }

    public Organization organization(PortalSession session) {
        return organizations.findById(session.environmentId(), session.organizationId())
                .orElseThrow(() -> new DomainException.NotFound("organization " + session.organizationId() + " not found"));
    }

    // ---- single sign-on

    public List<Connection> connections(PortalSession session, String ipAddress) {
        require(session, OrganizationFeature.SSO, ipAddress);
        return connections.listByOrganization(session.environmentId(), session.organizationId());
    }

    /** One of the organization's connections; another organization's (or an unknown one) is not found, audited. */
    public Connection connection(PortalSession session, String connectionId, String ipAddress) {
        require(session, OrganizationFeature.SSO, ipAddress);
        return read(session, ipAddress, () -> connections.get(session.environmentId(),
                Optional.of(session.organizationId()), connectionId));
    }

    public Connection createConnection(PortalSession session, NewConnection request, String ipAddress) {
        require(session, OrganizationFeature.SSO, ipAddress);
        return change(session, "create_connection", Optional.empty(), ipAddress,
                () -> connections.create(session.environmentId(), session.organizationId(), request),
                created -> Optional.of(created.id()));
    }

    public Connection updateConnection(PortalSession session, String connectionId, ConnectionPatch patch,
                                       String ipAddress) {
        require(session, OrganizationFeature.SSO, ipAddress);
        return change(session, "update_connection", Optional.of(connectionId), ipAddress,
                () -> connections.update(session.environmentId(), Optional.of(session.organizationId()), connectionId,
                        patch), updated -> Optional.of(updated.id()));
    }

    public ConnectionService.Toggle setConnectionEnabled(PortalSession session, String connectionId, boolean enabled,
                                                         String ipAddress) {
        require(session, OrganizationFeature.SSO, ipAddress);
        return change(session, enabled ? "enable_connection" : "disable_connection", Optional.of(connectionId), ipAddress,
                () -> connections.setEnabled(session.environmentId(), Optional.of(session.organizationId()), connectionId,
                        enabled), toggle -> Optional.of(connectionId));
    }

    /**
     * Prepares a test sign-in through the connection (complete, enabled or not), for a browser window that goes on
     * with the returned binding secret: to the identity provider, then to a result page that links back to
     * {@code resultUrl} (D-AP4).
     */
    public LoginService.PreparedConnectionTest testConnection(PortalSession session, String connectionId,
                                                              String resultUrl, String ipAddress) {
        Connection connection = connection(session, connectionId, ipAddress);
        return change(session, "test_connection", Optional.of(connectionId), ipAddress, () -> {
            if (connection.status() != ConnectionStatus.COMPLETED) {
                throw new DomainException.FailedPrecondition("the connection is not completely configured; missing: "
                        + String.join(", ", connection.settings().missing(connection.debugEnabled())));
            }
            return logins.prepareConnectionTest(session.environmentId(), Optional.of(session.organizationId()),
                    connectionId, resultUrl);
        }, prepared -> Optional.of(connectionId));
    }

    public List<Domain> domains(PortalSession session, String ipAddress) {
        require(session, OrganizationFeature.SSO, ipAddress);
        return domains.list(session.environmentId(), new OrganizationRef.ById(session.organizationId()),
                Optional.empty(), 1, MAX_DOMAINS);
    }

    public Domain createDomain(PortalSession session, String name, String ipAddress) {
        require(session, OrganizationFeature.SSO, ipAddress);
        return change(session, "create_domain", Optional.empty(), ipAddress,
                () -> domains.create(session.environmentId(), new OrganizationRef.ById(session.organizationId()), name,
                        Optional.empty(), Optional.empty()), created -> Optional.of(created.id()));
    }

    public void deleteDomain(PortalSession session, String domainId, String ipAddress) {
        require(session, OrganizationFeature.SSO, ipAddress);
        change(session, "delete_domain", Optional.of(domainId), ipAddress, () -> {
            domains.delete(session.environmentId(), new OrganizationRef.ById(session.organizationId()), domainId);
            return domainId;
        }, deleted -> Optional.of(deleted));
    }

    // ---- directory sync

    /** A directory with what the portal shows about it: synced users and groups, and its bearer tokens (hashes). */
    public record DirectorySummary(Directory directory, int users, int groups, List<DirectorySecret> tokens) {
        public DirectorySummary {
            tokens = List.copyOf(tokens);
        }
    }

    public List<DirectorySummary> directories(PortalSession session, String ipAddress) {
        require(session, OrganizationFeature.DIRECTORY_SYNC, ipAddress);
        return directories.list(session.environmentId(), session.organizationId()).stream().map(this::summary).toList();
    }

    public DirectorySummary directory(PortalSession session, String directoryId, String ipAddress) {
        require(session, OrganizationFeature.DIRECTORY_SYNC, ipAddress);
        return summary(read(session, ipAddress,
                () -> directories.get(session.environmentId(), session.organizationId(), directoryId)));
    }

    public Directory createDirectory(PortalSession session, DirectoryProvider provider, String ipAddress) {
        require(session, OrganizationFeature.DIRECTORY_SYNC, ipAddress);
        return change(session, "create_directory", Optional.empty(), ipAddress,
                () -> directories.create(session.environmentId(), session.organizationId(), DirectoryType.SCIM, provider),
                created -> Optional.of(created.id()));
    }

    public DirectoryService.Toggle setDirectoryEnabled(PortalSession session, String directoryId, boolean enabled,
                                                       String ipAddress) {
        require(session, OrganizationFeature.DIRECTORY_SYNC, ipAddress);
        return change(session, enabled ? "enable_directory" : "disable_directory", Optional.of(directoryId), ipAddress,
                () -> directories.setEnabled(session.environmentId(), session.organizationId(), directoryId, enabled),
                toggle -> Optional.of(directoryId));
    }

    /** The directory's first bearer token, or a new one that replaces the current (regeneration). Shown once. */
    public IssuedDirectorySecret issueDirectoryToken(PortalSession session, String directoryId, String ipAddress) {
        DirectorySummary current = directory(session, directoryId, ipAddress);
        Instant now = clock.instant();
        boolean hasValid = current.tokens().stream().anyMatch(token -> token.isValidAt(now));
        return change(session, hasValid ? "regenerate_directory_secret" : "create_directory_secret",
                Optional.of(directoryId), ipAddress,
                () -> hasValid
                        ? directories.regenerateSecret(session.environmentId(), session.organizationId(), directoryId)
                        : directories.createSecret(session.environmentId(), session.organizationId(), directoryId),
                issued -> Optional.of(directoryId));
    }

    private DirectorySummary summary(Directory directory) {
        return new DirectorySummary(directory, directories.countUsers(directory), directories.countGroups(directory),
                directories.secrets(directory.id()));
    }

    // ---- the common parts

    private void require(PortalSession session, OrganizationFeature feature, String ipAddress) {
        if (!session.allows(feature)) {
            links.rejectRequest(session, "the portal link does not include " + feature.wireName(), ipAddress);
            throw new DomainException.NotFound("this admin portal link does not include " + feature.wireName());
        }
    }

    /** A read of one resource: not found (another organization's, or unknown) is audited as a refused request. */
    private <T> T read(PortalSession session, String ipAddress, Supplier<T> lookup) {
        try {
            return lookup.get();
        } catch (DomainException.NotFound e) {
            links.rejectRequest(session, e.getMessage(), ipAddress);
            throw e;
        }
    }

    /** Runs one change and audits it, whatever its outcome; the actor is the portal link. */
    private <T> T change(PortalSession session, String action, Optional<String> target, String ipAddress,
                         Supplier<T> change, Function<T, Optional<String>> targetOf) {
        T result;
        try {
            result = change.get();
        } catch (DomainException e) {
            record(session, action, target, ipAddress, Optional.of(e));
            throw e;
        }
        record(session, action, targetOf.apply(result).or(() -> target), ipAddress, Optional.empty());
        return result;
    }

    private void record(PortalSession session, String action, Optional<String> target, String ipAddress,
                        Optional<DomainException> failure) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("portal_session_id", session.id());
        AuditRecord record = new AuditRecord(clock.instant(), Optional.of(session.environmentId()),
                Optional.of(session.organizationId()), TYPE_PREFIX + action,
                failure.isEmpty() ? AuditRecord.Outcome.SUCCESS : AuditRecord.Outcome.FAILURE,
                Optional.of(session.linkId()), failure.map(Throwable::getMessage), Optional.of(ipAddress), attributes);
        if (failure.isPresent()) {
            record = record.withReasonCode(reasonCode(failure.get()));
        }
        if (target.isPresent()) {
            record = record.withTarget(target.get());
        }
        audit.append(record);
    }

    private static String reasonCode(DomainException failure) {
        return switch (failure) {
            case DomainException.NotFound notFound -> "NOT_FOUND";
            case DomainException.AlreadyExists exists -> "ALREADY_EXISTS";
            case DomainException.InvalidArgument invalid -> "INVALID_ARGUMENT";
            case DomainException.FailedPrecondition precondition -> "FAILED_PRECONDITION";
        };
    }
}
