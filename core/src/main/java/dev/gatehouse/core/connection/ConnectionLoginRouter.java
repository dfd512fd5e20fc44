package dev.gatehouse.core.connection;

import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.shared.IdPrefix;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Login routing (spec-sso.md §1.3, docs/DECISIONS.md D-CN7). Precedence: {@code provider} over
 * {@code connection_id} over {@code organization_id} over {@code domain} over the domain of {@code login_hint};
 * a selector that is present decides, and a bad one is refused without falling through to the next.
 *
 * <ul>
 *   <li>{@code provider}: google, microsoft, github, gitlab, linkedin or salesforce (any case) goes to that social
 *       provider; anything else is {@code invalid_connection_selector}.</li>
 *   <li>{@code connection_id}: unknown in the environment is {@code invalid_connection_id}; disabled or not fully
 *       configured is {@code connection_not_active}.</li>
 *   <li>{@code organization_id}: unknown is {@code invalid_organization_id}; no connection at all is
 *       {@code no_configured_connections}, none active is {@code no_active_connections}; otherwise the connection
 *       the login_hint's domain is assigned to, else the first active connection open to every domain, else the
 *       first active one.</li>
 *   <li>{@code domain}: not an organization domain of the environment is {@code domain_not_found}; a domain assigned
 *       to a connection goes there ({@code connection_not_active} if it is not active); otherwise to the
 *       organization's first active connection open to every domain.</li>
 *   <li>{@code login_hint} alone routes like {@code domain}, but never fails: no match goes to the hosted login.</li>
 *   <li>No selector: the hosted login.</li>
 * </ul>
 * A connection with domains assigned to it accepts only users of those domains: a login_hint of another domain is
 * {@code invalid_user_domain}. Every refusal writes an audit record {@value #AUDIT_TYPE}.
 */
public final class ConnectionLoginRouter implements LoginRouter {
    public static final String AUDIT_TYPE = "sso.login.route_refused";
    public static final List<String> SOCIAL_PROVIDERS = List.of("google", "microsoft", "github", "gitlab", "linkedin", "salesforce");

    private final ConnectionRepository connections;
    private final DomainRepository domains;
    private final AuditTrail audit;
    private final Clock clock;

    public ConnectionLoginRouter(ConnectionRepository connections, DomainRepository domains, AuditTrail audit, Clock clock) {
        this.connections = connections;
        this.domains = domains;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public LoginRoute route(String environmentId, LoginSelectors selectors) {
        Optional<String> hintDomain = selectors.loginHint().flatMap(DomainNames::ofEmail);
        if (selectors.provider().isPresent()) {
            String provider = selectors.provider().get().toLowerCase(Locale.ROOT);
            return SOCIAL_PROVIDERS.contains(provider)
                    ? new LoginRoute.ToSocialProvider(provider)
                    : refuse(environmentId, Optional.empty(), "provider", LoginErrors.INVALID_CONNECTION_SELECTOR,
                            "provider must be one of " + String.join(", ", SOCIAL_PROVIDERS));
        }
        if (selectors.connectionId().isPresent()) {
            return byConnection(environmentId, selectors.connectionId().get(), hintDomain);
        }
        if (selectors.organizationId().isPresent()) {
            return byOrganization(environmentId, selectors.organizationId().get(), hintDomain);
        }
        if (selectors.domain().isPresent()) {
            return byDomain(environmentId, selectors.domain().get(), "domain");
        }
        if (hintDomain.isPresent()) {
            LoginRoute route = byDomainQuietly(environmentId, hintDomain.get());
            return route instanceof LoginRoute.ToConnection ? route : new LoginRoute.ToHostedLogin();
        }
        return new LoginRoute.ToHostedLogin();
    }

    private LoginRoute byConnection(String environmentId, String connectionId, Optional<String> hintDomain) {
        Optional<Connection> found = IdPrefix.CONNECTION.matches(connectionId) && connectionId.length() <= 32
                ? connections.findById(environmentId, connectionId) : Optional.empty();
        if (found.isEmpty()) {
            return refuse(environmentId, Optional.empty(), "connection_id", LoginErrors.INVALID_CONNECTION_ID,
                    "connection_id does not name a connection of this environment");
        }
        Connection connection = found.get();
        if (!connection.isActive()) {
            return refuse(environmentId, Optional.of(connection.organizationId()), "connection_id",
                    LoginErrors.CONNECTION_NOT_ACTIVE, "the connection is not active");
        }
        if (hintDomain.isPresent()) {
            OrganizationRoute organization = connections.organizationRoute(environmentId, connection.organizationId())
                    .orElseThrow();
            if (organization.isRestricted(connection) && !assignedTo(environmentId, hintDomain.get(), connection)) {
                return refuse(environmentId, Optional.of(connection.organizationId()), "connection_id",
                        LoginErrors.INVALID_USER_DOMAIN, "the user's domain is not allowed for this connection");
            }
        }
        return new LoginRoute.ToConnection(connection);
    }

    private LoginRoute byOrganization(String environmentId, String organizationId, Optional<String> hintDomain) {
        Optional<OrganizationRoute> found = IdPrefix.ORGANIZATION.matches(organizationId) && organizationId.length() <= 32
                ? connections.organizationRoute(environmentId, organizationId) : Optional.empty();
        if (found.isEmpty()) {
            return refuse(environmentId, Optional.empty(), "organization_id", LoginErrors.INVALID_ORGANIZATION_ID,
                    "organization_id does not name an organization of this environment");
        }
        OrganizationRoute organization = found.get();
        Optional<LoginRoute> none = noActive(environmentId, organization, "organization_id");
        if (none.isPresent()) {
            return none.get();
        }
        if (hintDomain.isPresent()) {
            Optional<String> assigned = domains.findByName(environmentId, hintDomain.get())
                    .filter(d -> d.organizationId().equals(organization.organizationId()))
                    .flatMap(Domain::connectionId);
            Optional<Connection> pinned = organization.connections().stream()
                    .filter(c -> c.isActive() && assigned.equals(Optional.of(c.id()))).findFirst();
            if (pinned.isPresent()) {
                return new LoginRoute.ToConnection(pinned.get());
            }
        }
        Optional<Connection> open = organization.firstActiveUnrestricted();
        if (open.isPresent()) {
            return new LoginRoute.ToConnection(open.get());
        }
        if (hintDomain.isPresent()) {
            return refuse(environmentId, Optional.of(organization.organizationId()), "organization_id",
                    LoginErrors.INVALID_USER_DOMAIN, "the user's domain is not allowed for this organization's connections");
        }
        return new LoginRoute.ToConnection(organization.firstActive().orElseThrow());
    }

    private LoginRoute byDomain(String environmentId, String rawDomain, String selector) {
        DomainNames.Result normalized = DomainNames.normalize(rawDomain);
        Optional<DomainRoute> found = normalized instanceof DomainNames.Result.Valid valid
                ? connections.domainRoute(environmentId, valid.name()) : Optional.empty();
        if (found.isEmpty() || found.get().domain().type() != DomainType.ORGANIZATION_DOMAIN) {
            return refuse(environmentId, Optional.empty(), selector, LoginErrors.DOMAIN_NOT_FOUND,
                    "no organization of this environment has this domain");
        }
        DomainRoute route = found.get();
        OrganizationRoute organization = route.organization();
        Optional<String> org = Optional.of(organization.organizationId());
        if (route.domain().connectionId().isPresent()) {
            String pinnedId = route.domain().connectionId().get();
            Optional<Connection> pinned = organization.connections().stream().filter(c -> c.id().equals(pinnedId)).findFirst();
            return pinned.filter(Connection::isActive)
                    .<LoginRoute>map(LoginRoute.ToConnection::new)
                    .orElseGet(() -> refuse(environmentId, org, selector, LoginErrors.CONNECTION_NOT_ACTIVE,
                            "the connection of this domain is not active"));
        }
        Optional<LoginRoute> none = noActive(environmentId, organization, selector);
        if (none.isPresent()) {
            return none.get();
        }
        return organization.firstActiveUnrestricted()
                .<LoginRoute>map(LoginRoute.ToConnection::new)
                .orElseGet(() -> refuse(environmentId, org, selector, LoginErrors.INVALID_USER_DOMAIN,
                        "the domain is not allowed for this organization's connections"));
    }

    /** Domain routing for a login_hint: the same decision, without audit records (a miss is not a refusal). */
    private LoginRoute byDomainQuietly(String environmentId, String domain) {
        Optional<DomainRoute> found = connections.domainRoute(environmentId, domain);
        if (found.isEmpty() || found.get().domain().type() != DomainType.ORGANIZATION_DOMAIN) {
            return new LoginRoute.ToHostedLogin();
        }
        OrganizationRoute organization = found.get().organization();
        Optional<String> pinnedId = found.get().domain().connectionId();
        Optional<Connection> target = pinnedId.isPresent()
                ? organization.connections().stream().filter(c -> c.id().equals(pinnedId.get()) && c.isActive()).findFirst()
                : organization.firstActiveUnrestricted();
        return target.<LoginRoute>map(LoginRoute.ToConnection::new).orElseGet(LoginRoute.ToHostedLogin::new);
    }

    private Optional<LoginRoute> noActive(String environmentId, OrganizationRoute organization, String selector) {
        if (organization.connections().isEmpty()) {
            return Optional.of(refuse(environmentId, Optional.of(organization.organizationId()), selector,
                    LoginErrors.NO_CONFIGURED_CONNECTIONS, "the organization has no SSO connection"));
        }
        if (organization.firstActive().isEmpty()) {
            return Optional.of(refuse(environmentId, Optional.of(organization.organizationId()), selector,
                    LoginErrors.NO_ACTIVE_CONNECTIONS, "the organization has no active SSO connection"));
        }
        return Optional.empty();
    }

    private boolean assignedTo(String environmentId, String domain, Connection connection) {
        return domains.findByName(environmentId, domain)
                .flatMap(Domain::connectionId)
                .filter(connection.id()::equals)
                .isPresent();
    }

    private LoginRoute.Refused refuse(String environmentId, Optional<String> organizationId, String selector,
                                      String errorCode, String description) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("error", errorCode);
        attributes.put("selector", selector);
        audit.append(new AuditRecord(clock.instant(), Optional.of(environmentId), organizationId, AUDIT_TYPE,
                AuditRecord.Outcome.FAILURE, Optional.empty(), Optional.of(errorCode + ": " + description),
                Optional.empty(), attributes));
        return new LoginRoute.Refused(errorCode, description);
    }
}
