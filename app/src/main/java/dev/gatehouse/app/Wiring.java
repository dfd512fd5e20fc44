package dev.gatehouse.app;

import com.linecorp.armeria.server.Server;
import dev.gatehouse.core.audit.AuditChain;
import dev.gatehouse.core.audit.AuditLogService;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.client.AppClientService;
import dev.gatehouse.core.client.CachedAppClientDirectory;
import dev.gatehouse.core.client.OrganizationClientService;
import dev.gatehouse.core.connection.ConnectionIdentityProviders;
import dev.gatehouse.core.connection.ConnectionType;
import dev.gatehouse.core.connection.ConnectionLoginRouter;
import dev.gatehouse.core.connection.ConnectionService;
import dev.gatehouse.core.connection.DomainService;
import dev.gatehouse.core.connection.LoginRouter;
import dev.gatehouse.core.credential.EnvironmentClientService;
import dev.gatehouse.core.credential.SecretGenerator;
import dev.gatehouse.core.directory.DirectoryEventSink;
import dev.gatehouse.core.directory.OutboxDirectoryEvents;
import dev.gatehouse.core.directory.DirectoryService;
import dev.gatehouse.core.directory.DirectoryUserLinker;
import dev.gatehouse.core.directory.EnvironmentUserLinker;
import dev.gatehouse.core.environment.EnvironmentDirectory;
import dev.gatehouse.core.environment.EnvironmentService;
import dev.gatehouse.core.key.SecretSealer;
import dev.gatehouse.core.key.SigningKeyService;
import dev.gatehouse.core.organization.OrganizationService;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.sso.AssertionReplayCache;
import dev.gatehouse.core.user.UserService;
import dev.gatehouse.core.webhook.DestinationPolicy;
import dev.gatehouse.core.webhook.PinnedHttp;
import dev.gatehouse.core.webhook.WebhookDeliveryLog;
import dev.gatehouse.core.webhook.WebhookEndpointService;
import dev.gatehouse.core.webhook.WebhookSecrets;
import dev.gatehouse.core.login.LoginService;
import dev.gatehouse.core.mail.InvitationEmails;
import dev.gatehouse.core.login.LoginSettingsEditor;
import dev.gatehouse.core.login.UserSessions;
import dev.gatehouse.core.passwordless.HostedLoginEmails;
import dev.gatehouse.http.GatehouseServer;
import dev.gatehouse.http.api.login.LoginSettingsGrpcService;
import dev.gatehouse.http.api.session.SessionGrpcService;
import dev.gatehouse.http.oauth.AuthorizeLatency;
import dev.gatehouse.http.oauth.HostedLoginRoutes;
import dev.gatehouse.core.social.SocialConnectionService;
import dev.gatehouse.http.api.social.SocialConnectionGrpcService;
import dev.gatehouse.oauth.federation.FederatedCallbacks;
import dev.gatehouse.oauth.federation.FederationSecrets;
import dev.gatehouse.oauth.federation.SocialLogins;
import dev.gatehouse.store.JdbiSocialConnectionRepository;
import dev.gatehouse.oauth.federation.OidcCodeFlow;
import dev.gatehouse.oauth.federation.OidcConnectionCallback;
import dev.gatehouse.oauth.federation.OidcConnectionClients;
import dev.gatehouse.oauth.federation.OidcConnectionStarter;
import dev.gatehouse.oauth.federation.OidcDiscovery;
import dev.gatehouse.oauth.federation.ProviderHttp;
import dev.gatehouse.http.oauth.OidcRoutes;
import dev.gatehouse.oauth.authorize.AuthorizeEndpoint;
import dev.gatehouse.oauth.endpoint.DiscoveryEndpoint;
import dev.gatehouse.oauth.endpoint.IntrospectionEndpoint;
import dev.gatehouse.oauth.endpoint.LogoutEndpoint;
import dev.gatehouse.oauth.endpoint.RevocationEndpoint;
import dev.gatehouse.oauth.endpoint.UserGrants;
import dev.gatehouse.oauth.endpoint.UserInfoEndpoint;
import dev.gatehouse.oauth.token.UserTokenIssuer;
import dev.gatehouse.oauth.token.UserTokenVerifier;
import dev.gatehouse.store.JdbiGrantRepository;
import dev.gatehouse.store.JdbiUserIdentityRepository;
import dev.gatehouse.store.JdbiLoginSettingsRepository;
import dev.gatehouse.store.JdbiLoginTransactionRepository;
import dev.gatehouse.store.JdbiSessionRepository;
import dev.gatehouse.http.api.ManagementAuthInterceptor;
import dev.gatehouse.http.api.ManagementAuthenticator;
import dev.gatehouse.http.api.client.ClientGrpcService;
import dev.gatehouse.http.api.audit.AuditGrpcService;
import dev.gatehouse.http.api.audit.AuditLogsGrpcService;
import dev.gatehouse.http.api.audit.ManagementChangeAudit;
import dev.gatehouse.http.api.directory.DirectoryGrpcService;
import dev.gatehouse.http.api.organization.OrganizationByExternalIdRoute;
import dev.gatehouse.http.api.organization.OrganizationGrpcService;
import dev.gatehouse.http.api.user.UserByExternalIdRoutes;
import dev.gatehouse.http.api.user.UserGrpcService;
import dev.gatehouse.http.api.webhook.WebhookGrpcService;
import dev.gatehouse.http.api.connection.ConnectionGrpcService;
import dev.gatehouse.http.api.domain.DomainGrpcService;
import dev.gatehouse.saml.metadata.DomIdpMetadataParser;
import dev.gatehouse.saml.metadata.HttpIdpMetadataFetcher;
import dev.gatehouse.http.oauth.OAuthRoutes;
import dev.gatehouse.http.ops.OpsRoutes;
import dev.gatehouse.http.scim.ScimRoutes;
import dev.gatehouse.http.ops.Readiness;
import dev.gatehouse.oauth.endpoint.JwksEndpoint;
import dev.gatehouse.oauth.endpoint.TokenEndpoint;
import dev.gatehouse.oauth.key.KeyRing;
import dev.gatehouse.oauth.key.RsaSigners;
import dev.gatehouse.oauth.token.AccessTokenIssuer;
import dev.gatehouse.oauth.token.AccessTokenVerifier;
import dev.gatehouse.oauth.token.SigningPool;
import dev.gatehouse.scim.ScimEndpoint;
import dev.gatehouse.store.Database;
import dev.gatehouse.store.JdbiAppClientRepository;
import dev.gatehouse.store.JdbiAssertionReplayCache;
import dev.gatehouse.store.JdbiAuditTrail;
import dev.gatehouse.store.JdbiOrganizationClientRepository;
import dev.gatehouse.store.JdbiConnectionRepository;
import dev.gatehouse.store.JdbiDomainRepository;
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
import dev.gatehouse.webhooks.PinnedHttpTransport;
import dev.gatehouse.webhooks.RetrySchedule;
import dev.gatehouse.core.mail.EmailTemplates;
import dev.gatehouse.core.mail.EnvironmentMailer;
import dev.gatehouse.core.mail.MailSettingsService;
import dev.gatehouse.core.passwordless.PasswordlessEmails;
import dev.gatehouse.core.passwordless.PasswordlessSecrets;
import dev.gatehouse.core.passwordless.PasswordlessService;
import dev.gatehouse.core.ratelimit.RateLimiter;
import dev.gatehouse.http.api.email.EmailGrpcService;
import dev.gatehouse.http.api.passwordless.PasswordlessGrpcService;
import dev.gatehouse.http.dev.DevMailRoutes;
import dev.gatehouse.http.pages.Pages;
import dev.gatehouse.mail.SmtpMailTransport;
import dev.gatehouse.store.JdbiDevMailbox;
import dev.gatehouse.store.JdbiEmailTemplateRepository;
import dev.gatehouse.store.JdbiPasswordlessRequestRepository;
import dev.gatehouse.store.JdbiPasswordlessSettingsRepository;
import dev.gatehouse.store.JdbiRateLimiter;
import dev.gatehouse.store.JdbiSmtpSettingsRepository;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import org.slf4j.LoggerFactory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    /** The token endpoint {@link #server()} built (tests call its event-loop path directly); null before. */
    volatile TokenEndpoint tokenEndpoint;
    /** The audit trail's writer and chainer threads stop with the wiring, before the database closes. */
    private final JdbiAuditTrail auditTrail;
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
    /** What computes token signatures: OpenSSL, Conscrypt or the JDK (docs/DECISIONS.md D-N2). */
    final RsaSigners rsaSigners;
    final JdbiWebhookDeliveries webhookDeliveries;
    final DestinationPolicy webhookDestinations;
    final WebhookEndpointService webhookEndpoints;
    final WebhookDeliveryLog webhookLog;
    final Dispatcher dispatcher;
    final DirectoryEventSink directoryEvents;
    /** Sessions are the lead's work: replace NONE with the sessions' implementation (docs/DECISIONS.md D-L3). */
    final DirectoryUserLinker directoryUsers;
    final SigningPool signingPool = SigningPool.perCore();
    final PrometheusMeterRegistry meters;
    final Readiness readiness;
    /** Environment clients as sign-in flows see them (redirect URIs, PKCE); cached 5 s, see D-C2. */
    final CachedAppClientDirectory appClients;
    final AppClientService appClientService;
    final OrganizationClientService organizationClients;
    final JdbiDevMailbox devMailbox;
    final MailSettingsService mailSettings;
    final EnvironmentMailer mailer;
    final EmailTemplates emailTemplates;
    final RateLimiter rateLimiter;
    final PasswordlessService passwordless;
    final LoginSettingsEditor loginSettings;
    final JdbiSessionRepository sessionRepository;
    final JdbiGrantRepository grantRepository;
    final LoginService logins;
    final InvitationEmails invitationEmails;
    final ConnectionIdentityProviders identityProviders;
    final SocialConnectionService socialConnections;
    final FederatedCallbacks federatedCallbacks;
    final JdbiLoginTransactionRepository loginTransactions;
    final JdbiUserIdentityRepository userIdentities;
    final Housekeeping housekeeping;
    final UserSessions userSessions;
    /** SAML assertion IDs seen, shared by the nodes (D-SAML3); for the ACS's SamlResponseValidator. */
    final AssertionReplayCache samlReplayCache;
    final JdbiConnectionRepository connectionRepository;
    final JdbiDomainRepository domainRepository;
    final ConnectionService connections;
    final DomainService domains;
    /** SEAM for /oauth/authorize and the hosted login: which connection a login goes to. */
    final LoginRouter loginRouter;
    final IdpMetadataRefresher idpMetadataRefresher;
    /** Development environments' test organization and built-in IdP simulator (docs/DECISIONS.md D-SIM1…D-SIM5). */
    final dev.gatehouse.core.simulator.IdpSimulator idpSimulator;
    final dev.gatehouse.core.simulator.TestOrganizations testOrganizations;
    /** SAML sign-in (docs/DECISIONS.md D-SS1…): derived AuthnRequest IDs, parsed connection keys. */
    final dev.gatehouse.saml.sso.AuthnRequestIds samlRequestIds;
    final dev.gatehouse.saml.sso.SamlConnectionKeys samlKeys;
    /** Organizations' session policies (docs/DECISIONS.md D-AP6): the hosted login's session lifetimes. */
    final dev.gatehouse.core.sessionpolicy.SessionPolicyService sessionPolicies;
    /** The self-serve admin portal: links, portal sessions, and what a portal session may do (D-AP1…D-AP5). */
    final dev.gatehouse.store.JdbiPortalLinkRepository portalLinkRepository;
    final dev.gatehouse.store.JdbiPortalSessionRepository portalSessionRepository;
    final dev.gatehouse.core.portal.PortalLinkService portalLinks;
    final dev.gatehouse.core.connection.ConnectionTests connectionTests;
    final dev.gatehouse.core.portal.AdminPortal adminPortal;

    private Wiring(GatehouseConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        // Loading OpenSSL and Conscrypt needs no database: it runs while the migrations do (D-ST4).
        StartupTask<RsaSigners> signers = StartupTask.start("signers", () -> RsaSigners.select(config.rsaSigning()));
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
        this.auditTrail = new JdbiAuditTrail(transactions, ids, auditChain);
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
        // Mail first: invitations are sent by the users service.
        this.devMailbox = new JdbiDevMailbox(transactions);
        this.mailSettings = new MailSettingsService(new JdbiSmtpSettingsRepository(transactions), sealer, clock);
        this.mailer = new EnvironmentMailer(mailSettings, config.mail(), new SmtpMailTransport(SmtpMailTransport.TIMEOUT),
                devMailbox, clock);
        this.invitationEmails = new InvitationEmails(mailer, this::initiateLoginUri,
                environmentId -> environmentDirectory.byId(environmentId).map(e -> e.name()).orElse("Gatehouse"));
        this.users = new UserService(new JdbiUserRepository(transactions), new JdbiMembershipRepository(transactions),
                new JdbiRoleRepository(transactions), organizationRepository, ids, clock, transactions,
                UserService.DEFAULT_INVITATION_TTL, outbox,
                invitationEmails);
        this.directoryResources = new JdbiDirectoryResourceRepository(transactions);
        this.directoryRepository = new JdbiDirectoryRepository(transactions);
        this.directoryEvents = new OutboxDirectoryEvents(outbox, ids);
        // Sessions first: directory sync revokes them when it deactivates or deprovisions a user (D-L3, D-O6).
        this.sessionRepository = new JdbiSessionRepository(transactions);
        this.grantRepository = new JdbiGrantRepository(transactions);
        this.userSessions = new UserSessions(sessionRepository, grantRepository, users, audit, transactions, clock);
        this.directoryUsers = new EnvironmentUserLinker(users, new JdbiUserRepository(transactions),
                new JdbiMembershipRepository(transactions), directoryRepository, directoryResources, userSessions);
        this.directories = new DirectoryService(directoryRepository, directoryResources,
                organizationRepository, ids, new SecretGenerator(), clock, transactions, directoryEvents, directoryUsers);
        this.rsaSigners = signers.join();
        this.keyRing = new KeyRing(signingKeys, clock, rsaSigners);
        this.webhookDeliveries = new JdbiWebhookDeliveries(transactions);
        this.webhookDestinations = new DestinationPolicy(config.webhooks().allowPrivate());
        this.webhookEndpoints = new WebhookEndpointService(new JdbiWebhookEndpointRepository(transactions),
                new WebhookSecrets(sealer), webhookDestinations, ids, clock, transactions, outbox,
                config.webhooks().secretOverlap());
        this.webhookLog = new WebhookDeliveryLog(webhookEndpoints, webhookDeliveries, clock);
        this.dispatcher = new Dispatcher(webhookDeliveries, webhookEndpoints, webhookLog, webhookDestinations,
                new PinnedHttpTransport(new PinnedHttp(webhookDestinations, PinnedHttpTransport.TIMEOUT),
                        PinnedHttpTransport.TIMEOUT), RetrySchedule.STANDARD, clock, config.webhooks());
        outbox.afterCommit(dispatcher::wake);
        this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.readiness = new Readiness(database::isHealthy);
        this.housekeeping = new Housekeeping(this, clock);
        JdbiAppClientRepository appClientRepository = new JdbiAppClientRepository(transactions);
        this.appClients = new CachedAppClientDirectory(appClientRepository, clock);
        this.appClientService = new AppClientService(clients, appClientRepository, environmentRepository, appClients,
                clock, transactions);
        this.organizationClients = new OrganizationClientService(new JdbiOrganizationClientRepository(transactions),
                organizationRepository, ids, new SecretGenerator(), clock, transactions);
        // Passwordless email and mail (docs/DECISIONS.md D-P1…D-P8).
        this.emailTemplates = new EmailTemplates(new JdbiEmailTemplateRepository(transactions), PasswordlessEmails.defaults(),
                clock);
        this.rateLimiter = new JdbiRateLimiter(transactions, clock);
        this.passwordless = new PasswordlessService(new JdbiPasswordlessRequestRepository(transactions),
                new JdbiPasswordlessSettingsRepository(transactions), emailTemplates, mailer, rateLimiter,
                PasswordlessSecrets.fromMasterKey(masterKey), audit,
                environmentId -> environmentDirectory.byId(environmentId).map(e -> e.name()).orElse("Gatehouse"), clock,
                transactions);
        this.connectionRepository = new JdbiConnectionRepository(transactions);
        this.domainRepository = new JdbiDomainRepository(transactions);
        this.connections = new ConnectionService(connectionRepository, domainRepository, organizationRepository,
                new HttpIdpMetadataFetcher(new DestinationPolicy(config.sso().allowPrivateMetadataUrls())),
                new DomIdpMetadataParser(clock),
                new dev.gatehouse.saml.sp.SamlSpCredentialGenerator(new dev.gatehouse.saml.sp.SpKeyGenerator(), clock), sealer, ids, clock, transactions, outbox,
                config.sso().metadataRefreshInterval());
        this.domains = new DomainService(domainRepository, connectionRepository, organizationRepository, ids, clock, transactions);
        this.loginRouter = new ConnectionLoginRouter(connectionRepository, domainRepository, audit, clock);
        this.idpMetadataRefresher = new IdpMetadataRefresher(connections);
        // OIDC connections as a relying party (docs/DECISIONS.md D-SO1…).
        FederationSecrets federationSecrets = FederationSecrets.fromMasterKey(masterKey);
        ProviderHttp providerHttp = new ProviderHttp(new DestinationPolicy(config.sso().allowPrivateMetadataUrls()));
        OidcCodeFlow oidcFlow = new OidcCodeFlow(providerHttp);
        OidcConnectionClients oidcClients = new OidcConnectionClients(connectionRepository, connections,
                new OidcDiscovery(providerHttp, clock));
        this.socialConnections = new SocialConnectionService(new JdbiSocialConnectionRepository(transactions), sealer, clock);
        SocialLogins socialLogins = new SocialLogins(environmentDirectory, socialConnections, oidcFlow, federationSecrets);
        // Federation: which connection signs an email in, and each protocol's way to start a sign-in.
        this.idpSimulator = new dev.gatehouse.core.simulator.IdpSimulator(environmentDirectory, connectionRepository,
                domainRepository, audit, clock);
        // GATEHOUSE_TEST_ORGANIZATION=false: new development environments get no test organization (D-SIM1).
        this.testOrganizations = config.testOrganization()
                ? new dev.gatehouse.core.simulator.TestOrganizationProvisioner(organizations, connections,
                        connectionRepository, domainRepository, ids, clock, transactions)
                : dev.gatehouse.core.simulator.TestOrganizations.NONE;
        this.samlRequestIds = dev.gatehouse.saml.sso.AuthnRequestIds.fromMasterKey(masterKey);
        this.samlKeys = new dev.gatehouse.saml.sso.SamlConnectionKeys(connections);
        this.identityProviders = new ConnectionIdentityProviders(loginRouter, connectionRepository,
                Map.of(ConnectionType.OIDC, new OidcConnectionStarter(environmentDirectory, oidcClients, oidcFlow, federationSecrets),
                        ConnectionType.SAML, new dev.gatehouse.saml.sso.SamlIdentityProviderStarter(connectionRepository,
                                environmentDirectory, samlKeys, samlRequestIds, new dev.gatehouse.saml.request.AuthnRequests(),
                                clock)),
                Optional.of(socialLogins))
                .withProviderStarter(dev.gatehouse.core.connection.ConnectionProvider.IDP_SIMULATOR, idpSimulator);
        // The OpenID provider: hosted login, sessions, grants (docs/DECISIONS.md D-O1…D-O6).
        this.loginSettings = new LoginSettingsEditor(new JdbiLoginSettingsRepository(transactions), clock);
        this.loginTransactions = new JdbiLoginTransactionRepository(transactions);
        this.userIdentities = new JdbiUserIdentityRepository(transactions);
        this.sessionPolicies = new dev.gatehouse.core.sessionpolicy.SessionPolicyService(
                new dev.gatehouse.store.JdbiSessionPolicyRepository(transactions), organizationRepository, loginSettings,
                sessionRepository, transactions, clock);
        this.connectionTests = new dev.gatehouse.core.connection.ConnectionTests(
                new dev.gatehouse.store.JdbiConnectionTestRepository(transactions), ids, clock);
        this.logins = new LoginService(loginSettings, loginTransactions, sessionRepository,
                grantRepository, users, organizations, new HostedLoginEmails(passwordless), audit, ids,
                new SecretGenerator(), clock, transactions, rateLimiter, identityProviders,
                userIdentities, config.loginLimits(), sessionPolicies, connectionTests);
        this.portalLinkRepository = new dev.gatehouse.store.JdbiPortalLinkRepository(transactions);
        this.portalSessionRepository = new dev.gatehouse.store.JdbiPortalSessionRepository(transactions);
        this.portalLinks = new dev.gatehouse.core.portal.PortalLinkService(portalLinkRepository, portalSessionRepository,
                organizationRepository, ids, new SecretGenerator(), audit, clock);
        this.adminPortal = new dev.gatehouse.core.portal.AdminPortal(organizationRepository, connections, domains,
                directories, logins, portalLinks, audit, clock);
        if (config.mail().devMailboxEnabled()) {
            LoggerFactory.getLogger(Wiring.class).warn("The dev mailbox is on: mail of environments without SMTP settings is "
                    + "kept in the database and shown at /_dev/mail. Set GATEHOUSE_DEV_MAILBOX=false in production.");
        }
        this.samlReplayCache = new JdbiAssertionReplayCache(transactions);
        this.federatedCallbacks = new FederatedCallbacks(new OidcConnectionCallback(oidcClients, oidcFlow, federationSecrets),
                socialLogins, logins);
    }

    /** Every redirect URI registered by the environment's clients: their origins may frame the admin portal. */
    private List<String> redirectUris(String environmentId) {
        return appClientService.list(environmentId, List.of(), dev.gatehouse.core.shared.PageRequest.first(100)).items()
                .stream().flatMap(c -> c.settings().redirectUris().stream()).toList();
    }

    /** Where an environment's invitation links land: the first of its clients with an initiate_login_uri. */
    private java.util.Optional<String> initiateLoginUri(String environmentId) {
        return appClientService.list(environmentId, List.of(), dev.gatehouse.core.shared.PageRequest.first(30)).items()
                .stream().map(c -> c.settings().initiateLoginUri()).flatMap(java.util.Optional::stream).findFirst();
    }

    /** Opens the database (running migrations) and builds every service. */
    public static Wiring open(GatehouseConfig config, Clock clock) {
        return new Wiring(config, clock);
    }

    /** The HTTP/gRPC server on the configured port, not yet started. */
    public Server server() {
        AccessTokenIssuer issuer = new AccessTokenIssuer(keyRing, ids, clock, signingPool);
        AccessTokenVerifier verifier = new AccessTokenVerifier(environmentDirectory, keyRing, clock);
        SecretGenerator secrets = new SecretGenerator();
        UserGrants userGrants = new UserGrants(clients, appClients, environmentDirectory, grantRepository, sessionRepository,
                logins, new JdbiUserRepository(transactions),
                userIdentities, transactions,
                new UserTokenIssuer(keyRing, ids, clock, signingPool), secrets, clock);
        TokenEndpoint token = new TokenEndpoint(clients, organizationClients, environmentDirectory, issuer, authenticationAudit, clock,
                userGrants);
        this.tokenEndpoint = token;
        UserTokenVerifier userTokens = new UserTokenVerifier(verifier, grantRepository, sessionRepository, clock);
        HostedLoginRoutes hostedLogin = new HostedLoginRoutes(environmentDirectory, new AuthorizeEndpoint(appClients), loginRouter,
                identityProviders, logins,
                new LogoutEndpoint(keyRing, appClients, sessionRepository, grantRepository, audit, clock), audit, secrets,
                clock, new AuthorizeLatency(meters));
        var idpInitiatedRedirects = new dev.gatehouse.oauth.token.IdpInitiatedLoginRedirects(appClientService,
                new dev.gatehouse.oauth.token.IdpInitiatedLoginTokens(keyRing, ids, clock, signingPool));
        OidcRoutes oidc = new OidcRoutes(environmentDirectory, new DiscoveryEndpoint(),
                new UserInfoEndpoint(userTokens, users, userIdentities, audit, clock),
                new IntrospectionEndpoint(clients, userTokens, grantRepository, sessionRepository, audit, clock),
                new RevocationEndpoint(clients, verifier, grantRepository, audit, clock));
        OAuthRoutes oauth = new OAuthRoutes(token, new JwksEndpoint(keyRing), environmentDirectory);
        ManagementAuthenticator authenticator = new ManagementAuthenticator(verifier, clientRepository, audit, clock);
        ManagementChangeAudit managementChanges = new ManagementChangeAudit(audit, clock);
        return GatehouseServer.build(config.httpSettings(),
                managementChanges.wrap(List.of(new OrganizationGrpcService(organizations, portalLinks, sessionPolicies), new UserGrpcService(users, userIdentities, clock),
                        new WebhookGrpcService(webhookEndpoints, webhookLog), new DirectoryGrpcService(directories),
                        new AuditGrpcService(auditLog), new AuditLogsGrpcService(auditLog),
                        new ClientGrpcService(appClientService, organizationClients),
                        new PasswordlessGrpcService(passwordless),
                        new EmailGrpcService(mailSettings, mailer, emailTemplates, passwordless),
                        new SessionGrpcService(userSessions, clock), new LoginSettingsGrpcService(loginSettings),
                        new ConnectionGrpcService(connections, connectionTests), new DomainGrpcService(domains),
                        new SocialConnectionGrpcService(socialConnections))),
                new ManagementAuthInterceptor(authenticator),
                List.of(new OrganizationByExternalIdRoute(organizations, authenticator)::bind,
                        new UserByExternalIdRoutes(users, userIdentities, authenticator, clock, managementChanges)::bind, scimRoutes()::bind,
                        devMailRoutes(), hostedLogin::bind, oidc::bind,
                        new dev.gatehouse.http.oauth.SimulatorRoutes(hostedLogin, idpSimulator, logins, domainRepository,
                                idpInitiatedRedirects, clock)::bind,
                        server -> hostedLogin.bindFederatedCallback(server, "/sso/v1/oidc/{id}/callback",
                                federatedCallbacks::oidcConnection),
                        server -> hostedLogin.bindFederatedCallback(server, "/sso/v1/social/{id}/callback",
                                federatedCallbacks::socialProvider),
                        samlRoutes(hostedLogin, idpInitiatedRedirects, secrets)::bind,
                        new dev.gatehouse.http.portal.PortalRoutes(hostedLogin, portalLinks, adminPortal, logins,
                                this::redirectUris, secrets, clock)::bind),
                oauth, new OpsRoutes(readiness, meters), meters);
    }

    /**
     * OpenSSL for the RSA-SHA256 signature values of SAML responses when it signs the tokens too, i.e. it loaded and
     * passed its self-check (which covers verification); otherwise the JDK verifies them (docs/DECISIONS.md D-AC5).
     */
    private java.util.Optional<java.security.Provider> samlRsaVerifier() {
        if (rsaSigners.engine() != dev.gatehouse.oauth.key.RsaEngine.OPENSSL) {
            return java.util.Optional.empty();
        }
        var load = dev.gatehouse.crypto.openssl.OpenSsl.load(dev.gatehouse.crypto.openssl.LibCryptoLocation.candidates(
                config.rsaSigning().libcrypto(), System.getProperty("os.name", "")));
        if (load instanceof dev.gatehouse.crypto.openssl.LibCryptoLoad.Loaded loaded) {
            LoggerFactory.getLogger(Wiring.class).info("SAML RSA-SHA256 signatures: verified by {}", loaded.library().version());
            return java.util.Optional.of(new dev.gatehouse.crypto.openssl.OpenSslVerifyProvider(loaded.library()));
        }
        return java.util.Optional.empty();
    }

    /** The SAML ACS and SP metadata of every connection (docs/DECISIONS.md D-SS3…D-SS5). */
    private dev.gatehouse.http.saml.SamlRoutes samlRoutes(HostedLoginRoutes hostedLogin,
            dev.gatehouse.oauth.token.IdpInitiatedLoginRedirects idpInitiatedRedirects, SecretGenerator secrets) {
        var consumer = new dev.gatehouse.saml.sso.SamlAssertionConsumer(connectionRepository, loginTransactions, samlKeys,
                samlRequestIds, new dev.gatehouse.saml.response.SamlResponseValidator(samlReplayCache, samlRsaVerifier()),
                audit, clock, config.sso().samlClockSkew());
        return new dev.gatehouse.http.saml.SamlRoutes(environmentDirectory, connections, samlKeys, consumer, logins,
                hostedLogin, idpInitiatedRedirects, audit, secrets, clock);
    }

    /** GET /_dev/mail and /_dev/mail.json, only while the dev mailbox is on. */
    private java.util.function.Consumer<com.linecorp.armeria.server.ServerBuilder> devMailRoutes() {
        return config.mail().devMailboxEnabled() ? new DevMailRoutes(devMailbox, environmentDirectory, new Pages())::bind
                : server -> { };
    }

    /** SCIM 2.0 per directory: changes go to the outbox, into environment users (DirectoryUserLinker) and the audit log. */
    private ScimRoutes scimRoutes() {
        return new ScimRoutes(directories, new ScimEndpoint(directoryResources, directoryRepository, transactions, ids, clock,
                directoryEvents, directoryUsers, audit), authenticationAudit, clock);
    }

    @Override
    public void close() {
        housekeeping.close();
        idpMetadataRefresher.close();
        dispatcher.close();
        signingPool.close();
        auditTrail.close();
        database.close();
    }
}
