package dev.gatehouse.app;

import com.linecorp.armeria.server.Server;
import dev.gatehouse.core.audit.AuditChain;
import dev.gatehouse.core.audit.AuditLogService;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.credential.EnvironmentClientService;
import dev.gatehouse.core.credential.SecretGenerator;
import dev.gatehouse.core.directory.DirectoryEventSink;
import dev.gatehouse.core.directory.OutboxDirectoryEvents;
import dev.gatehouse.core.directory.DirectoryService;
import dev.gatehouse.core.directory.DirectoryUserLinker;
import dev.gatehouse.core.environment.EnvironmentDirectory;
import dev.gatehouse.core.environment.EnvironmentService;
import dev.gatehouse.core.key.SecretSealer;
import dev.gatehouse.core.key.SigningKeyService;
import dev.gatehouse.core.organization.OrganizationService;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.user.UserService;
import dev.gatehouse.core.webhook.DestinationPolicy;
import dev.gatehouse.core.webhook.WebhookDeliveryLog;
import dev.gatehouse.core.webhook.WebhookEndpointService;
import dev.gatehouse.core.webhook.WebhookSecrets;
import dev.gatehouse.http.GatehouseServer;
import dev.gatehouse.http.api.ManagementAuthInterceptor;
import dev.gatehouse.http.api.ManagementAuthenticator;
import dev.gatehouse.http.api.audit.AuditGrpcService;
import dev.gatehouse.http.api.audit.AuditLogsGrpcService;
import dev.gatehouse.http.api.audit.ManagementChangeAudit;
import dev.gatehouse.http.api.directory.DirectoryGrpcService;
import dev.gatehouse.http.api.organization.OrganizationByExternalIdRoute;
import dev.gatehouse.http.api.organization.OrganizationGrpcService;
import dev.gatehouse.http.api.user.UserByExternalIdRoutes;
import dev.gatehouse.http.api.user.UserGrpcService;
import dev.gatehouse.http.api.webhook.WebhookGrpcService;
import dev.gatehouse.http.oauth.OAuthRoutes;
import dev.gatehouse.http.ops.OpsRoutes;
import dev.gatehouse.http.scim.ScimRoutes;
import dev.gatehouse.http.ops.Readiness;
import dev.gatehouse.oauth.endpoint.JwksEndpoint;
import dev.gatehouse.oauth.endpoint.TokenEndpoint;
import dev.gatehouse.oauth.key.KeyRing;
import dev.gatehouse.oauth.token.AccessTokenIssuer;
import dev.gatehouse.oauth.token.AccessTokenVerifier;
import dev.gatehouse.oauth.token.SigningPool;
import dev.gatehouse.scim.ScimEndpoint;
import dev.gatehouse.store.Database;
import dev.gatehouse.store.JdbiAuditTrail;
import dev.gatehouse.store.JdbiDirectoryRepository;
import dev.gatehouse.store.JdbiDirectoryResourceRepository;
import dev.gatehouse.store.JdbiEnvironmentClientRepository;
import dev.gatehouse.store.JdbiEnvironmentRepository;
import dev.gatehouse.store.JdbiMembershipRepository;
import dev.gatehouse.store.JdbiOrganizationRepository;
import dev.gatehouse.store.JdbiRoleRepository;
import dev.gatehouse.store.JdbiSigningKeyRepository;
import dev.gatehouse.store.JdbiTransactions;
import dev.gatehouse.store.JdbiUserRepository;
import dev.gatehouse.store.JdbiOutbox;
import dev.gatehouse.store.JdbiWebhookDeliveries;
import dev.gatehouse.store.JdbiWebhookEndpointRepository;
import dev.gatehouse.webhooks.Dispatcher;
import dev.gatehouse.webhooks.HttpClientTransport;
import dev.gatehouse.webhooks.RetrySchedule;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;

/** The one place where Gatehouse's parts are built and connected: plain constructors, no reflection. */
public final class Wiring implements AutoCloseable {
    final GatehouseConfig config;
    final Clock clock;
    final Database database;
    final JdbiTransactions transactions;
    final IdGenerator ids;
    final JdbiEnvironmentRepository environmentRepository;
    final JdbiEnvironmentClientRepository clientRepository;
    final JdbiOrganizationRepository organizationRepository;
    final JdbiSigningKeyRepository signingKeyRepository;
    final AuditTrail audit;
    /** For authentication decisions: without successes when GATEHOUSE_AUDIT_SUCCESS=false (D-A5). */
    final AuditTrail authenticationAudit;
    final AuditLogService auditLog;
    final JdbiOutbox outbox;
    final SigningKeyService signingKeys;
    final EnvironmentClientService clients;
    final EnvironmentService environments;
    final EnvironmentDirectory environmentDirectory;
    final OrganizationService organizations;
    final UserService users;
    final JdbiDirectoryRepository directoryRepository;
    final JdbiDirectoryResourceRepository directoryResources;
    final DirectoryService directories;
    final KeyRing keyRing;
    final JdbiWebhookDeliveries webhookDeliveries;
    final DestinationPolicy webhookDestinations;
    final WebhookEndpointService webhookEndpoints;
    final WebhookDeliveryLog webhookLog;
    final Dispatcher dispatcher;
    final DirectoryEventSink directoryEvents;
    final DirectoryUserLinker directoryUsers = DirectoryUserLinker.NONE;
    final SigningPool signingPool = SigningPool.perCore();
    final PrometheusMeterRegistry meters;
    final Readiness readiness;

    private Wiring(GatehouseConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.database = Database.open(config.databaseUrl(), config.databaseUser(), config.databasePassword(),
                config.databasePoolSize());
        this.transactions = new JdbiTransactions(database.jdbi());
        this.ids = new IdGenerator(clock, config.nodeId());
        this.environmentRepository = new JdbiEnvironmentRepository(transactions);
        this.clientRepository = new JdbiEnvironmentClientRepository(transactions);
        this.organizationRepository = new JdbiOrganizationRepository(transactions);
        this.signingKeyRepository = new JdbiSigningKeyRepository(transactions);
        byte[] masterKey = MasterKeys.load(config.masterKey(), config.dataDirectory());
        AuditChain auditChain = AuditChain.keyedBy(masterKey);
        JdbiAuditTrail auditTrail = new JdbiAuditTrail(transactions, ids, auditChain);
        this.audit = auditTrail;
        this.auditLog = new AuditLogService(auditTrail, auditChain);
        this.authenticationAudit = config.auditSuccess() ? audit : AuditTrail.failuresOnly(audit);
        SecretSealer sealer = new SecretSealer(masterKey);
        this.signingKeys = new SigningKeyService(signingKeyRepository, sealer, ids, clock, transactions);
        this.clients = new EnvironmentClientService(clientRepository, ids, new SecretGenerator(), clock, transactions);
        this.environments = new EnvironmentService(environmentRepository, signingKeys, clients, ids, clock, transactions);
        this.environmentDirectory = new EnvironmentDirectory(environmentRepository, clock);
        this.outbox = new JdbiOutbox(transactions);
        this.organizations = new OrganizationService(organizationRepository, ids, clock, transactions, outbox);
        this.users = new UserService(new JdbiUserRepository(transactions), new JdbiMembershipRepository(transactions),
                new JdbiRoleRepository(transactions), organizationRepository, ids, clock, transactions,
                UserService.DEFAULT_INVITATION_TTL, outbox);
        this.directoryResources = new JdbiDirectoryResourceRepository(transactions);
        this.directoryRepository = new JdbiDirectoryRepository(transactions);
        this.directoryEvents = new OutboxDirectoryEvents(outbox, ids);
        this.directories = new DirectoryService(directoryRepository, directoryResources,
                organizationRepository, ids, new SecretGenerator(), clock, transactions, directoryEvents);
        this.keyRing = new KeyRing(signingKeys, clock);
        this.webhookDeliveries = new JdbiWebhookDeliveries(transactions);
        this.webhookDestinations = new DestinationPolicy(config.webhooks().allowPrivate());
        this.webhookEndpoints = new WebhookEndpointService(new JdbiWebhookEndpointRepository(transactions),
                new WebhookSecrets(sealer), webhookDestinations, ids, clock, transactions, outbox,
                config.webhooks().secretOverlap());
        this.webhookLog = new WebhookDeliveryLog(webhookEndpoints, webhookDeliveries, clock);
        this.dispatcher = new Dispatcher(webhookDeliveries, webhookEndpoints, webhookLog, webhookDestinations,
                new HttpClientTransport(HttpClientTransport.TIMEOUT), RetrySchedule.STANDARD, clock, config.webhooks());
        this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.readiness = new Readiness(database::isHealthy);
    }

    /** Opens the database (running migrations) and builds every service. */
    public static Wiring open(GatehouseConfig config, Clock clock) {
        return new Wiring(config, clock);
    }

    /** The HTTP/gRPC server on the configured port, not yet started. */
    public Server server() {
        AccessTokenIssuer issuer = new AccessTokenIssuer(keyRing, ids, clock, signingPool);
        AccessTokenVerifier verifier = new AccessTokenVerifier(environmentDirectory, keyRing, clock);
        TokenEndpoint token = new TokenEndpoint(clients, environmentDirectory, issuer, authenticationAudit, clock);
        OAuthRoutes oauth = new OAuthRoutes(token, new JwksEndpoint(keyRing), environmentDirectory);
        ManagementAuthenticator authenticator = new ManagementAuthenticator(verifier, clientRepository, audit, clock);
        ManagementChangeAudit managementChanges = new ManagementChangeAudit(audit, clock);
        return GatehouseServer.build(config.httpSettings(),
                managementChanges.wrap(List.of(new OrganizationGrpcService(organizations), new UserGrpcService(users, clock),
                        new WebhookGrpcService(webhookEndpoints, webhookLog), new DirectoryGrpcService(directories),
                        new AuditGrpcService(auditLog), new AuditLogsGrpcService(auditLog))),
                new ManagementAuthInterceptor(authenticator),
                List.of(new OrganizationByExternalIdRoute(organizations, authenticator)::bind,
                        new UserByExternalIdRoutes(users, authenticator, clock, managementChanges)::bind, scimRoutes()::bind),
                oauth, new OpsRoutes(readiness, meters), meters);
    }

    /** SCIM 2.0 per directory: changes go to the outbox and into environment users (DirectoryUserLinker). */
    private ScimRoutes scimRoutes() {
        return new ScimRoutes(directories, new ScimEndpoint(directoryResources, directoryRepository, transactions, ids, clock,
                directoryEvents, directoryUsers), authenticationAudit, clock);
    }

    @Override
    public void close() {
        dispatcher.close();
        signingPool.close();
        database.close();
    }
}
