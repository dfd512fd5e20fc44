package dev.gatehouse.webhooks;

import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.key.SecretSealer;
import dev.gatehouse.core.organization.NewOrganization;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationService;
import dev.gatehouse.core.organization.RegionCode;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.testing.MutableClock;
import dev.gatehouse.core.testing.ScriptedResolver;
import dev.gatehouse.core.webhook.DestinationPolicy;
import dev.gatehouse.core.webhook.PinnedHttp;
import dev.gatehouse.core.webhook.EndpointWithSecret;
import dev.gatehouse.core.webhook.NewWebhookEndpoint;
import dev.gatehouse.core.webhook.WebhookDeliveryLog;
import dev.gatehouse.core.webhook.WebhookEndpointService;
import dev.gatehouse.core.webhook.WebhookSecrets;
import dev.gatehouse.store.Database;
import dev.gatehouse.store.JdbiEnvironmentRepository;
import dev.gatehouse.store.JdbiOrganizationRepository;
import dev.gatehouse.store.JdbiOutbox;
import dev.gatehouse.store.JdbiTransactions;
import dev.gatehouse.store.JdbiWebhookDeliveries;
import dev.gatehouse.store.JdbiWebhookEndpointRepository;
import dev.gatehouse.store.TestDatabases;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/** A fresh database, the real services and dispatcher on a {@link MutableClock}, and a loopback HTTP receiver. */
final class WebhookFixture implements AutoCloseable {
    static final Instant START = Instant.parse("2025-06-01T12:00:00Z");

    record Received(Map<String, String> headers, String body, Instant at) {}

    final TestDatabases.TestDatabase testDatabase;
    final Database database;
    final MutableClock clock = new MutableClock(START);
    final IdGenerator ids = new IdGenerator(clock, 1);
    final JdbiTransactions tx;
    final JdbiEnvironmentRepository environments;
    final JdbiWebhookDeliveries deliveries;
    final OrganizationService organizations;
    final WebhookEndpointService endpoints;
    final WebhookDeliveryLog log;
    final Dispatcher dispatcher;
    final JdbiOutbox outbox;
    final ScriptedResolver resolver = new ScriptedResolver();
    final DestinationPolicy destinations;
    final HttpServer receiver;
    final List<Received> received = new CopyOnWriteArrayList<>();
    volatile IntSupplier status = () -> 200;

    WebhookFixture(String kind) throws IOException {
        this.testDatabase = TestDatabases.create(kind);
        this.database = testDatabase.open();
        this.tx = new JdbiTransactions(database.jdbi());
        this.environments = new JdbiEnvironmentRepository(tx);
        this.deliveries = new JdbiWebhookDeliveries(tx);
        this.outbox = new JdbiOutbox(tx);
        this.organizations = new OrganizationService(new JdbiOrganizationRepository(tx), ids, clock, tx, outbox);
        byte[] masterKey = new byte[32];
        masterKey[0] = 42;
        this.destinations = new DestinationPolicy(true, resolver);
        this.endpoints = new WebhookEndpointService(new JdbiWebhookEndpointRepository(tx),
                new WebhookSecrets(new SecretSealer(masterKey)), destinations, ids, clock, tx, outbox, Duration.ofHours(24));
        this.log = new WebhookDeliveryLog(endpoints, deliveries, clock);
        this.dispatcher = new Dispatcher(deliveries, endpoints, log, destinations,
                transport(destinations, Duration.ofSeconds(10)), RetrySchedule.STANDARD, clock,
                new WebhookSettings(true, Duration.ofHours(24), Duration.ofDays(30), 2, Duration.ofMillis(20)));
        this.receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.getFirst()));
            received.add(new Received(headers, new String(body, StandardCharsets.UTF_8), clock.instant()));
            int code = status.getAsInt();
            byte[] answer = ("answer " + code).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
    }

    String url() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    Environment environment(String name) {
        Environment environment = new Environment(ids.next(IdPrefix.ENVIRONMENT), name, "https://" + name + ".example.test",
                clock.instant());
        environments.create(environment);
        return environment;
    }

    EndpointWithSecret endpoint(String environmentId, String... types) {
        return endpoints.create(environmentId, new NewWebhookEndpoint(url(), "test", List.of(types), true));
    }

    Organization organization(String environmentId, String name) {
        return organizations.create(environmentId, new NewOrganization(name, RegionCode.US, Optional.empty(), Map.of(),
                Optional.empty(), Optional.empty()));
    }

    static PinnedHttpTransport transport(DestinationPolicy policy, Duration timeout) {
        return new PinnedHttpTransport(new PinnedHttp(policy, timeout), timeout);
    }

    /** A dispatcher of this node's queue whose destination checks (and so connections) use {@code policy}. */
    Dispatcher dispatcher(DestinationPolicy policy, Duration timeout) {
        return new Dispatcher(deliveries, endpoints, log, policy, transport(policy, timeout), RetrySchedule.STANDARD, clock,
                new WebhookSettings(true, Duration.ofHours(24), Duration.ofDays(30), 2, Duration.ofMillis(20)));
    }

    /** Another dispatcher of this node's queue, with its own settings. */
    Dispatcher dispatcher(WebhookSettings settings) {
        return new Dispatcher(deliveries, endpoints, log, destinations, transport(destinations, Duration.ofSeconds(10)),
                RetrySchedule.STANDARD, clock, settings);
    }

    record Node(Database database, Dispatcher dispatcher) implements AutoCloseable {
        @Override
        public void close() {
            dispatcher.close();
            database.close();
        }
    }

    Node secondNode() {
        Database db = testDatabase.open();
        JdbiTransactions tx2 = new JdbiTransactions(db.jdbi());
        JdbiOutbox outbox2 = new JdbiOutbox(tx2);
        JdbiWebhookDeliveries deliveries2 = new JdbiWebhookDeliveries(tx2);
        byte[] masterKey = new byte[32];
        masterKey[0] = 42;
        WebhookEndpointService endpoints2 = new WebhookEndpointService(new JdbiWebhookEndpointRepository(tx2),
                new WebhookSecrets(new SecretSealer(masterKey)), destinations, new IdGenerator(clock, 2), clock, tx2,
                outbox2, Duration.ofHours(24));
        Dispatcher dispatcher2 = new Dispatcher(deliveries2, endpoints2, new WebhookDeliveryLog(endpoints2, deliveries2, clock),
                destinations, transport(destinations, Duration.ofSeconds(10)), RetrySchedule.STANDARD, clock,
                new WebhookSettings(true, Duration.ofHours(24), Duration.ofDays(30), 2, Duration.ofMillis(20)));
        return new Node(db, dispatcher2);
    }

    /** Runs the dispatcher until a pass finds nothing due (bounded). */
    int drain() {
        int total = 0;
        for (int i = 0; i < 1000; i++) {
            int n = dispatcher.runOnce();
            if (n == 0) {
                return total;
            }
            total += n;
        }
        throw new AssertionError("dispatcher did not settle");
    }

    long count(String sql) {
        return database.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Override
    public void close() {
        receiver.stop(0);
        dispatcher.close();
        try {
            database.close();
        } finally {
            testDatabase.close();
        }
    }
}
