package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationRef;
import dev.gatehouse.core.webhook.DestinationPolicy;
import dev.gatehouse.core.webhook.NewWebhookEndpoint;
import dev.gatehouse.core.webhook.WebhookDeliveries;
import dev.gatehouse.core.webhook.WebhookEndpointService;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The delivery queue: fan-out, claiming with SKIP LOCKED, ordering and environment isolation, on each database. */
class WebhookDeliveriesStoreTest {
    static String endpoint(StoreFixture f, String environmentId, String... types) {
        WebhookEndpointService dev = f.webhookService(new DestinationPolicy(true));
        return dev.create(environmentId, new NewWebhookEndpoint("http://127.0.0.1:9/hook", "", List.of(types), true))
                .endpoint().id();
    }

    static Instant lease(StoreFixture f) {
        return f.clock.instant().plus(Duration.ofMinutes(5));
    }

    static WebhookDeliveries.Attempt ok(StoreFixture f, WebhookDeliveries.Claimed c) {
        return new WebhookDeliveries.Attempt(0, c.deliveryId(), c.endpoint().environmentId(), c.endpoint().id(),
                c.event().id(), c.event().type(), c.attemptsSoFar() + 1, f.clock.instant(), true, OptionalInt.of(200), 3,
                Optional.of("ok"), Optional.empty());
    }

    @EachDatabase
    void appendWhenEndpointsFilterOrDisabledThenOnlyMatchingEnabledEndpointsGetDeliveries(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            String all = endpoint(f, env.id());
            String createdOnly = endpoint(f, env.id(), "organization.created");
            String disabled = endpoint(f, env.id());
            f.webhooks.setEnabled(env.id(), disabled, false);

            Organization org = f.organizations.create(env.id(), OrganizationStoreTest.named("Acme"));
            f.organizations.delete(env.id(), new OrganizationRef.ById(org.id()));

            List<WebhookDeliveries.Claimed> claimed = f.webhookDeliveries.claimDue(f.clock.instant(), 10, lease(f));
            assertThat(claimed).extracting(c -> c.endpoint().id() + " " + c.event().type())
                    .containsExactlyInAnyOrder(all + " organization.created", createdOnly + " organization.created");
            assertThat(f.count("webhook_deliveries")).isEqualTo(3);
        }
    }

    @EachDatabase
    void claimDueWhenEarlierEventOfSameOrganizationPendingThenLaterOneWaits(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            endpoint(f, env.id());
            Organization a = f.organizations.create(env.id(), OrganizationStoreTest.named("A"));
            f.organizations.updateFeatures(env.id(), a.id(), java.util.Map.of("sso", true));
            Organization b = f.organizations.create(env.id(), OrganizationStoreTest.named("B"));

            List<WebhookDeliveries.Claimed> first = f.webhookDeliveries.claimDue(f.clock.instant(), 10, lease(f));
            assertThat(first).extracting(c -> c.event().organizationId().orElseThrow() + " " + c.event().type())
                    .containsExactly(a.id() + " organization.created", b.id() + " organization.created");
            assertThat(f.webhookDeliveries.claimDue(f.clock.instant(), 10, lease(f))).isEmpty();

            f.webhookDeliveries.recordSuccess(ok(f, first.getFirst()));
            List<WebhookDeliveries.Claimed> second = f.webhookDeliveries.claimDue(f.clock.instant(), 10, lease(f));
            assertThat(second).extracting(c -> c.event().organizationId().orElseThrow() + " " + c.event().type())
                    .containsExactly(a.id() + " organization.updated");
        }
    }

    @EachDatabase
    void claimDueWhenLeaseExpiresThenClaimedAgain(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            endpoint(f, env.id());
            f.organizations.create(env.id(), OrganizationStoreTest.named("A"));

            assertThat(f.webhookDeliveries.claimDue(f.clock.instant(), 10, f.clock.instant().plusSeconds(60))).hasSize(1);
            f.clock.advance(Duration.ofSeconds(59));
            assertThat(f.webhookDeliveries.claimDue(f.clock.instant(), 10, lease(f))).isEmpty();
            f.clock.advance(Duration.ofSeconds(1));
            assertThat(f.webhookDeliveries.claimDue(f.clock.instant(), 10, lease(f))).hasSize(1);
        }
    }

    @EachDatabase
    void claimDueWhenAnotherTransactionHoldsRowsThenSkipsThemWithoutWaiting(String kind) throws Exception {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            endpoint(f, env.id());
            Organization a = f.organizations.create(env.id(), OrganizationStoreTest.named("A"));
            Organization b = f.organizations.create(env.id(), OrganizationStoreTest.named("B"));
            CountDownLatch claimed = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);

            CompletableFuture<List<WebhookDeliveries.Claimed>> holder = CompletableFuture.supplyAsync(() ->
                    f.tx.inTransaction(() -> {
                        List<WebhookDeliveries.Claimed> mine = f.webhookDeliveries.claimDue(f.clock.instant(), 1, lease(f));
                        claimed.countDown();
                        try {
                            release.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return mine;
                    }));
            assertThat(claimed.await(20, TimeUnit.SECONDS)).isTrue();
            long started = System.nanoTime();
            List<WebhookDeliveries.Claimed> other = f.webhookDeliveries.claimDue(f.clock.instant(), 10, lease(f));
            long waitedMillis = (System.nanoTime() - started) / 1_000_000;
            release.countDown();
            List<WebhookDeliveries.Claimed> held = holder.get(20, TimeUnit.SECONDS);

            assertThat(held).extracting(c -> c.event().organizationId().orElseThrow()).containsExactly(a.id());
            assertThat(other).extracting(c -> c.event().organizationId().orElseThrow()).containsExactly(b.id());
            assertThat(waitedMillis).isLessThan(5_000);
        }
    }

    @EachDatabase
    void environmentsWhenTwoThenEventsAttemptsAndResendIsolated(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment alpha = f.environment("alpha");
            Environment beta = f.environment("beta");
            String alphaEndpoint = endpoint(f, alpha.id());
            f.organizations.create(beta.id(), OrganizationStoreTest.named("Beta org"));
            assertThat(f.webhookDeliveries.claimDue(f.clock.instant(), 10, lease(f))).isEmpty();

            f.organizations.create(alpha.id(), OrganizationStoreTest.named("Alpha org"));
            var claimed = f.webhookDeliveries.claimDue(f.clock.instant(), 10, lease(f));
            assertThat(claimed).singleElement().satisfies(c -> assertThat(c.event().environmentId()).isEqualTo(alpha.id()));
            f.webhookDeliveries.recordSuccess(ok(f, claimed.getFirst()));

            String betaEvent = f.database.jdbi().withHandle(h -> h.createQuery(
                    "select id from events where environment_id = :env").bind("env", beta.id()).mapTo(String.class).one());
            assertThat(f.webhookDeliveries.resend(alpha.id(), alphaEndpoint, betaEvent, f.clock.instant())).isFalse();
            assertThat(f.webhookDeliveries.resend(beta.id(), alphaEndpoint, betaEvent, f.clock.instant())).isFalse();
            assertThat(f.webhookDeliveries.attempts(beta.id(), alphaEndpoint, 10, Long.MAX_VALUE)).isEmpty();
            assertThat(f.webhookDeliveries.attempts(alpha.id(), alphaEndpoint, 10, Long.MAX_VALUE)).hasSize(1);
        }
    }
}
