package dev.gatehouse.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationPatch;
import dev.gatehouse.core.organization.OrganizationRef;
import dev.gatehouse.core.webhook.EndpointWithSecret;
import dev.gatehouse.core.webhook.WebhookDeliveries;
import dev.gatehouse.core.webhook.DestinationPolicy;
import dev.gatehouse.core.webhook.NewWebhookEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The dispatcher against the real queue (H2, PostgreSQL) and a real loopback HTTP receiver, on a hand-moved clock. */
class DispatcherTest {
    private static final Pattern EVENT_ID = Pattern.compile("\"id\":\"(evt_\\d+)\"");
    private static final Pattern TYPE = Pattern.compile("\"type\":\"([a-z._]+)\"");

    static String eventId(String body) {
        Matcher m = EVENT_ID.matcher(body);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    static String type(String body) {
        Matcher m = TYPE.matcher(body);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    static void rename(WebhookFixture f, String env, Organization org, String name) {
        f.organizations.update(env, new OrganizationRef.ById(org.id()),
                new OrganizationPatch(Optional.of(name), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @EachDatabase
    void runOnceWhenReceiverAcceptsThenSignedEnvelopeDeliveredAndAttemptLogged(String kind) throws Exception {
        try (WebhookFixture f = new WebhookFixture(kind)) {
            Environment env = f.environment("alpha");
            EndpointWithSecret endpoint = f.endpoint(env.id());
            Organization org = f.organization(env.id(), "Acme");

            assertThat(f.dispatcher.runOnce()).isEqualTo(1);

            assertThat(f.received).hasSize(1);
            var r = f.received.getFirst();
            String id = eventId(r.body());
            assertThat(r.body()).startsWith("{\"spec_version\":\"1\",\"id\":\"evt_")
                    .contains("\"object\":\"Organization\"", "\"environment_id\":\"" + env.id() + "\"",
                            "\"organization_id\":\"" + org.id() + "\"", "\"type\":\"organization.created\"",
                            "\"data\":{\"id\":\"" + org.id() + "\"");
            assertThat(r.headers()).containsEntry("webhook-id", id)
                    .containsEntry("webhook-timestamp", Long.toString(f.clock.instant().getEpochSecond()));
            assertThat(r.headers().get("webhook-signature")).isEqualTo("v1," + WebhookSigner.sign(endpoint.secret(), id,
                    f.clock.instant().getEpochSecond(), r.body().getBytes(StandardCharsets.UTF_8)));

            List<WebhookDeliveries.Attempt> attempts = f.log.attempts(env.id(), endpoint.endpoint().id(), 10, Long.MAX_VALUE);
            assertThat(attempts).hasSize(1);
            assertThat(attempts.getFirst().succeeded()).isTrue();
            assertThat(attempts.getFirst().responseCode()).hasValue(200);
            assertThat(attempts.getFirst().responseExcerpt()).contains("answer 200");
            assertThat(attempts.getFirst().eventId()).isEqualTo(id);
            assertThat(f.dispatcher.runOnce()).isZero();
        }
    }

    @EachDatabase
    void runOnceWhenSecretRotatedThenBothSecretsSign(String kind) throws Exception {
        try (WebhookFixture f = new WebhookFixture(kind)) {
            Environment env = f.environment("alpha");
            EndpointWithSecret old = f.endpoint(env.id());
            EndpointWithSecret rotated = f.endpoints.rotateSecret(env.id(), old.endpoint().id());
            f.organization(env.id(), "Acme");

            f.drain();

            var r = f.received.getFirst();
            long ts = f.clock.instant().getEpochSecond();
            byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
            assertThat(r.headers().get("webhook-signature")).isEqualTo(
                    "v1," + WebhookSigner.sign(rotated.secret(), eventId(r.body()), ts, body)
                            + " v1," + WebhookSigner.sign(old.secret(), eventId(r.body()), ts, body));
        }
    }

    @EachDatabase
    void runOnceWhenReceiverDownThenRetriesFollowScheduleAndEventsArriveInOrderPerOrganization(String kind) throws Exception {
        try (WebhookFixture f = new WebhookFixture(kind)) {
            Environment env = f.environment("alpha");
            EndpointWithSecret endpoint = f.endpoint(env.id());
            AtomicBoolean down = new AtomicBoolean(true);
            f.status = () -> down.get() ? 500 : 200;
            Organization a = f.organization(env.id(), "A");
            rename(f, env.id(), a, "A2");
            Organization b = f.organization(env.id(), "B");
            rename(f, env.id(), a, "A3");
            rename(f, env.id(), b, "B2");
            Instant t0 = f.clock.instant();

            // The outage: attempts 1..4 of each organization's first event fail on the schedule;
            // nothing is attempted between the steps, and later events of an organization wait.
            List<Duration> steps = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30));
            assertThat(f.drain()).isEqualTo(2);
            Instant due = t0;
            for (Duration step : steps) {
                due = due.plus(step);
                f.clock.set(due.minusMillis(1));
                assertThat(f.drain()).isZero();
                f.clock.set(due);
                assertThat(f.drain()).isEqualTo(2);
            }
            assertThat(f.received).hasSize(8).extracting(r -> type(r.body())).containsOnly("organization.created");
            assertThat(f.received).extracting(WebhookFixture.Received::at).containsExactly(
                    t0, t0, t0.plusSeconds(5), t0.plusSeconds(5), t0.plusSeconds(305), t0.plusSeconds(305),
                    t0.plusSeconds(2105), t0.plusSeconds(2105));

            down.set(false);
            f.clock.set(due.plus(Duration.ofHours(2)));
            assertThat(f.drain()).isEqualTo(5);

            List<String> delivered = new ArrayList<>();
            for (var r : f.received.subList(8, f.received.size())) {
                delivered.add((r.body().contains(a.id()) ? "A:" : "B:") + type(r.body()));
            }
            assertThat(delivered.stream().filter(s -> s.startsWith("A:")).toList()).containsExactly(
                    "A:organization.created", "A:organization.updated", "A:organization.updated");
            assertThat(delivered.stream().filter(s -> s.startsWith("B:")).toList()).containsExactly(
                    "B:organization.created", "B:organization.updated");
            assertThat(f.received.subList(8, f.received.size()).stream().filter(r -> r.body().contains("\"display_name\":\"A3\"")))
                    .hasSize(1);
            var attempts = f.log.attempts(env.id(), endpoint.endpoint().id(), 100, Long.MAX_VALUE);
            assertThat(attempts).hasSize(13);
            assertThat(attempts.stream().filter(WebhookDeliveries.Attempt::succeeded)).hasSize(5);
            assertThat(attempts.stream().filter(x -> !x.succeeded()).map(x -> x.responseCode().orElse(0))).containsOnly(500);
            assertThat(f.count("select count(*) from webhook_deliveries where status = 'PENDING'")).isZero();
        }
    }

    @EachDatabase
    void runOnceWhenEndpointFailsForThreeDaysThenGivenUpPerDeliveryAndEndpointDisabledWithEvent(String kind) throws Exception {
        try (WebhookFixture f = new WebhookFixture(kind)) {
            Environment env = f.environment("alpha");
            EndpointWithSecret failing = f.endpoint(env.id(), "organization.created");
            f.status = () -> 503;
            Instant t0 = f.clock.instant();
            f.organization(env.id(), "First");
            Organization second = f.organization(env.id(), "Second");

            // First delivery: 8 attempts over 27 h 35 min 5 s, then given up; the second (same
            // environment, other organization) ran in parallel. Keep producing until the endpoint is disabled.
            for (int i = 0; i < 200 && f.endpoints.get(env.id(), failing.endpoint().id()).enabled(); i++) {
                f.drain();
                f.clock.advance(Duration.ofHours(1));
                if (i % 20 == 0) {
                    f.organization(env.id(), "More " + i);
                }
            }

            var endpoint = f.endpoints.get(env.id(), failing.endpoint().id());
            assertThat(endpoint.enabled()).isFalse();
            assertThat(endpoint.failingSince()).contains(t0);
            // Disabled by the first failed attempt at or after 3 days (the longest gap between attempts is 10 h).
            assertThat(f.clock.instant()).isBetween(t0.plus(Duration.ofDays(3)), t0.plus(Duration.ofDays(3)).plus(Duration.ofHours(11)));
            assertThat(f.count("select count(*) from webhook_attempts where attempt_time > "
                    + "(select occurred_at from events where type = 'webhook.endpoint.disabled')")).isZero();
            assertThat(f.count("select count(*) from events where type = 'webhook.endpoint.disabled'")).isEqualTo(1);
            assertThat(f.count("select max(attempts) from webhook_deliveries")).isEqualTo(8);
            assertThat(f.count("select count(*) from webhook_deliveries where status = 'FAILED'")).isGreaterThanOrEqualTo(2);
            int before = f.received.size();
            f.organization(env.id(), "After");
            f.clock.advance(Duration.ofDays(1));
            assertThat(f.drain()).isZero();
            assertThat(f.received).hasSize(before);
            assertThat(second.id()).isNotNull();
        }
    }

    @EachDatabase
    void resendWhenEventDeliveredThenDeliveredAgainAndPurgeRemovesOldAttempts(String kind) throws Exception {
        try (WebhookFixture f = new WebhookFixture(kind)) {
            Environment env = f.environment("alpha");
            EndpointWithSecret endpoint = f.endpoint(env.id());
            f.organization(env.id(), "Acme");
            f.drain();
            String id = eventId(f.received.getFirst().body());

            f.log.resend(env.id(), endpoint.endpoint().id(), id);
            f.drain();

            assertThat(f.received).hasSize(2);
            assertThat(f.received.get(1).body()).isEqualTo(f.received.getFirst().body());
            f.clock.advance(Duration.ofDays(31));
            assertThat(f.log.purgeOlderThan(Duration.ofDays(30))).isGreaterThanOrEqualTo(5);
            assertThat(f.count("select count(*) from webhook_attempts")).isZero();
            assertThat(f.count("select count(*) from events")).isZero();
        }
    }

    @EachDatabase
    void startWhenWorkersRunThenEveryEventDeliveredOnceWithoutDriving(String kind) throws Exception {
        try (WebhookFixture f = new WebhookFixture(kind)) {
            Environment env = f.environment("alpha");
            f.endpoint(env.id());
            for (int i = 0; i < 20; i++) {
                f.organization(env.id(), "Org " + i);
            }

            f.dispatcher.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (f.received.size() < 20 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            f.dispatcher.close();

            assertThat(f.received).hasSize(20);
            assertThat(f.received.stream().map(r -> r.headers().get("webhook-id")).distinct()).hasSize(20);
        }
    }

    @EachDatabase
    void startWhenTwoNodesShareTheDatabaseThenEachEventDeliveredOnce(String kind) throws Exception {
        try (WebhookFixture f = new WebhookFixture(kind); WebhookFixture.Node other = f.secondNode()) {
            Environment env = f.environment("alpha");
            f.endpoint(env.id());
            int events = 150;
            for (int i = 0; i < events; i++) {
                f.organization(env.id(), "Org " + i);
            }

            f.dispatcher.start();
            other.dispatcher().start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (f.count("select count(*) from webhook_deliveries where status = 'SUCCEEDED'") < events
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            f.dispatcher.close();
            other.dispatcher().close();

            assertThat(f.count("select count(*) from webhook_deliveries where status = 'SUCCEEDED'")).isEqualTo(events);
            assertThat(f.count("select count(*) from webhook_attempts")).isEqualTo(events);
            assertThat(f.received).hasSize(events);
            assertThat(f.received.stream().map(r -> r.headers().get("webhook-id")).distinct()).hasSize(events);
        }
    }

    @EachDatabase
    void startWhenAnEventCommitsThenTheNodeIsWokenWithoutWaitingForItsPoll(String kind) throws Exception {
        try (WebhookFixture f = new WebhookFixture(kind);
             // A poll far longer than the wait below: only the wake-up after commit can deliver in time.
             Dispatcher dispatcher = f.dispatcher(
                     new WebhookSettings(true, Duration.ofHours(24), Duration.ofDays(30), 1, Duration.ofSeconds(60)))) {
            Environment env = f.environment("alpha");
            f.endpoint(env.id());
            f.outbox.afterCommit(dispatcher::wake);
            dispatcher.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();

            int events = 40;
            for (int i = 0; i < events; i++) {
                f.organization(env.id(), "Org " + i);
            }
            while (f.count("select count(*) from webhook_deliveries where status = 'SUCCEEDED'") < events
                    && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }

            assertThat(f.received).hasSize(events);
            assertThat(f.count("select count(*) from webhook_deliveries where status = 'SUCCEEDED'")).isEqualTo(events);
        }
    }

    @EachDatabase
    void startWhenManyEventsOfOneOrganizationThenDeliveredConcurrentlyYetInOrder(String kind) throws Exception {
        try (WebhookFixture f = new WebhookFixture(kind)) {
            Environment env = f.environment("alpha");
            f.endpoint(env.id());
            Organization acme = f.organization(env.id(), "Acme");
            for (int i = 0; i < 10; i++) {
                rename(f, env.id(), acme, "Acme " + i);
                f.organization(env.id(), "Other " + i);
            }

            f.dispatcher.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (f.received.size() < 21 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            f.dispatcher.close();

            List<String> acmeTypes = f.received.stream().map(WebhookFixture.Received::body)
                    .filter(body -> body.contains("\"organization_id\":\"" + acme.id() + "\""))
                    .map(DispatcherTest::type).toList();
            assertThat(f.received).hasSize(21);
            assertThat(acmeTypes).hasSize(11).first().isEqualTo("organization.created");
            assertThat(acmeTypes.subList(1, 11)).containsOnly("organization.updated");
            List<String> names = f.received.stream().map(WebhookFixture.Received::body)
                    .filter(body -> body.contains("\"organization_id\":\"" + acme.id() + "\""))
                    .filter(body -> type(body).equals("organization.updated"))
                    .map(body -> body.replaceAll(".*\"display_name\":\"([^\"]*)\".*", "$1")).toList();
            assertThat(names).containsExactly("Acme 0", "Acme 1", "Acme 2", "Acme 3", "Acme 4", "Acme 5", "Acme 6",
                    "Acme 7", "Acme 8", "Acme 9");
        }
    }

    @EachDatabase
    void runOnceWhenTheHostRebindsToLoopbackAfterTheCheckThenNothingReachesLoopbackAndTheAttemptIsLogged(String kind)
            throws Exception {
        try (WebhookFixture f = new WebhookFixture(kind);
             ServerSocketChannel loopback = ServerSocketChannel.open()) {
            loopback.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            loopback.configureBlocking(false);
            int port = ((InetSocketAddress) loopback.getLocalAddress()).getPort();
            Environment env = f.environment("alpha");
            String host = "rebind.example.test";
            f.resolver.script(host, "203.0.113.7");
            EndpointWithSecret endpoint = f.endpoints.create(env.id(),
                    new NewWebhookEndpoint("https://" + host + ":" + port + "/hook", "rebinding", List.of(), true));
            f.organization(env.id(), "Acme");
            // The rebinding name: public on the next lookup (the check), loopback on every lookup after it.
            f.resolver.script(host, "203.0.113.7", "127.0.0.1");
            try (Dispatcher production = f.dispatcher(new DestinationPolicy(false, f.resolver), Duration.ofSeconds(2))) {
                assertThat(production.runOnce()).isEqualTo(1); // returns once the attempt is over
            }

            // One lookup, the checked one: the connection went to 203.0.113.7, never to the loopback listener
            // (a connection to it would be waiting in its backlog by now).
            assertThat(f.resolver.lookups(host)).isEqualTo(1);
            assertThat(loopback.accept()).isNull();
            var attempts = f.log.attempts(env.id(), endpoint.endpoint().id(), 10, Long.MAX_VALUE);
            assertThat(attempts).hasSize(1);
            assertThat(attempts.getFirst().succeeded()).isFalse();
            assertThat(attempts.getFirst().error()).isPresent();

            // The next attempt checks again, sees loopback and refuses before connecting; the log says why.
            f.clock.advance(Duration.ofSeconds(5));
            try (Dispatcher production = f.dispatcher(new DestinationPolicy(false, f.resolver), Duration.ofSeconds(2))) {
                assertThat(production.runOnce()).isEqualTo(1);
            }
            assertThat(loopback.accept()).isNull();
            attempts = f.log.attempts(env.id(), endpoint.endpoint().id(), 10, Long.MAX_VALUE);
            assertThat(attempts).hasSize(2);
            assertThat(attempts.getFirst().error()).hasValue("url resolves to a private, loopback or link-local address");
        }
    }

    @EachDatabase
    void runOnceWhenTheHostResolvesToTheReceiverThenTheRequestGoesToTheCheckedAddressNamingTheHost(String kind)
            throws Exception {
        try (WebhookFixture f = new WebhookFixture(kind)) {
            Environment env = f.environment("alpha");
            String host = "hooks.example.test";
            f.resolver.script(host, "127.0.0.1");
            int port = Integer.parseInt(f.url().replaceAll(".*:(\\d+)/hook", "$1"));
            f.endpoints.create(env.id(), new NewWebhookEndpoint("http://" + host + ":" + port + "/hook", "named", List.of(), true));
            f.organization(env.id(), "Acme");

            assertThat(f.dispatcher.runOnce()).isEqualTo(1);

            assertThat(f.received).hasSize(1);
            assertThat(f.received.getFirst().headers()).containsEntry("host", host + ":" + port);
            assertThat(f.resolver.lookups(host)).isEqualTo(2); // registration, then the one check before the POST
        }
    }
}
