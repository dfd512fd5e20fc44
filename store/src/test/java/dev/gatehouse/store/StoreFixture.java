package dev.gatehouse.store;

import dev.gatehouse.core.client.AppClientService;
import dev.gatehouse.core.client.CachedAppClientDirectory;
import dev.gatehouse.core.client.OrganizationClientService;
import dev.gatehouse.core.audit.AuditChain;
import dev.gatehouse.core.credential.EnvironmentClientService;
import dev.gatehouse.core.credential.SecretGenerator;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.environment.EnvironmentService;
import dev.gatehouse.core.key.SecretSealer;
import dev.gatehouse.core.key.SigningKeyService;
import dev.gatehouse.core.organization.OrganizationService;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.testing.MutableClock;
import dev.gatehouse.core.webhook.DestinationPolicy;
import dev.gatehouse.core.webhook.WebhookEndpointService;
import dev.gatehouse.core.webhook.WebhookSecrets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * One fresh database (H2 file or PostgreSQL schema) with the real repositories and services wired
 * the way the application wires them: every repository shares one {@link JdbiTransactions}, and
 * time comes from a {@link MutableClock} the test moves itself.
 */
final class StoreFixture implements AutoCloseable {
    /** Has nanoseconds on purpose: the services must truncate to what the databases keep (micros). */
    static final Instant START = Instant.parse("2025-06-01T12:00:00.123456789Z");

    final TestDatabases.TestDatabase testDatabase;
    final Database database;
    final MutableClock clock = new MutableClock(START);
    final IdGenerator ids = new IdGenerator(clock, 1);
    final byte[] masterKey = masterKey(7);
    final JdbiTransactions tx;
    final JdbiEnvironmentRepository environmentRepository;
    final JdbiOrganizationRepository organizationRepository;
    final JdbiSigningKeyRepository signingKeyRepository;
    final JdbiEnvironmentClientRepository clientRepository;
    final JdbiAuditTrail audit;
    final AuditChain auditChain;
    final JdbiOutbox outbox;
    final OrganizationService organizations;
    final SigningKeyService keys;
    final EnvironmentClientService clients;
    final EnvironmentService environments;
    final JdbiWebhookEndpointRepository webhookEndpointRepository;
    final JdbiWebhookDeliveries webhookDeliveries;
    final WebhookEndpointService webhooks;
    final JdbiAppClientRepository appClientRepository;
    final CachedAppClientDirectory appClients;
    final AppClientService appClientService;
    final OrganizationClientService organizationClients;

    private StoreFixture(TestDatabases.TestDatabase testDatabase, Database database) {
        this.testDatabase = testDatabase;
        this.database = database;
        this.tx = new JdbiTransactions(database.jdbi());
        this.environmentRepository = new JdbiEnvironmentRepository(tx);
        this.organizationRepository = new JdbiOrganizationRepository(tx);
        this.signingKeyRepository = new JdbiSigningKeyRepository(tx);
        this.clientRepository = new JdbiEnvironmentClientRepository(tx);
        this.auditChain = AuditChain.keyedBy(masterKey);
        this.audit = new JdbiAuditTrail(tx, ids, auditChain);
        this.outbox = new JdbiOutbox(tx);
        this.organizations = new OrganizationService(organizationRepository, ids, clock, tx, outbox);
        this.keys = keyService(new SecretSealer(masterKey));
        this.clients = new EnvironmentClientService(clientRepository, ids, new SecretGenerator(), clock, tx);
        this.environments = new EnvironmentService(environmentRepository, keys, clients, ids, clock, tx);
        this.webhookEndpointRepository = new JdbiWebhookEndpointRepository(tx);
        this.webhookDeliveries = new JdbiWebhookDeliveries(tx);
        this.webhooks = webhookService(new DestinationPolicy(false));
        this.appClientRepository = new JdbiAppClientRepository(tx);
        this.appClients = new CachedAppClientDirectory(appClientRepository, clock);
        this.appClientService = new AppClientService(clients, appClientRepository, environmentRepository, appClients,
                clock, tx);
        this.organizationClients = new OrganizationClientService(new JdbiOrganizationClientRepository(tx),
                organizationRepository, ids, new SecretGenerator(), clock, tx);
    }

    static StoreFixture open(String kind) {
        TestDatabases.TestDatabase testDatabase = TestDatabases.create(kind);
        try {
            return new StoreFixture(testDatabase, testDatabase.open());
        } catch (RuntimeException e) {
            testDatabase.close();
            throw e;
        }
    }

    static byte[] masterKey(int seed) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) seed);
        key[0] = (byte) (seed * 13);
        return key;
    }

    /** A signing key service over the same table but with another sealer (e.g. another master key). */
    SigningKeyService keyService(SecretSealer sealer) {
        return new SigningKeyService(signingKeyRepository, sealer, ids, clock, tx);
    }

    /** The webhook endpoint service with another destination policy; rotation overlap 24 h. */
    WebhookEndpointService webhookService(DestinationPolicy destinations) {
        return new WebhookEndpointService(webhookEndpointRepository, new WebhookSecrets(new SecretSealer(masterKey)),
                destinations, ids, clock, tx, outbox, java.time.Duration.ofHours(24));
    }

    /** Inserts a bare environment row (no key, no client), as the repository tests need. */
    Environment environment(String name) {
        Environment environment = new Environment(ids.next(IdPrefix.ENVIRONMENT), name,
                "https://" + name + ".example.test", clock.instant().truncatedTo(ChronoUnit.MICROS));
        environmentRepository.create(environment);
        return environment;
    }

    /** A bare environment row of the given type. */
    Environment environment(String name, dev.gatehouse.core.environment.EnvironmentType type) {
        Environment environment = new Environment(ids.next(IdPrefix.ENVIRONMENT), name,
                "https://" + name + ".example.test", clock.instant().truncatedTo(ChronoUnit.MICROS), type);
        environmentRepository.create(environment);
        return environment;
    }

    long count(String table) {
        return database.jdbi().withHandle(h -> h.createQuery("select count(*) from " + table)
                .mapTo(Long.class).one());
    }

    long count(String table, String environmentId) {
        return database.jdbi().withHandle(h -> h.createQuery("select count(*) from " + table + " where environment_id = :env")
                .bind("env", environmentId).mapTo(Long.class).one());
    }

    @Override
    public void close() {
        try {
            audit.close();
            database.close();
        } finally {
            testDatabase.close();
        }
    }
}
