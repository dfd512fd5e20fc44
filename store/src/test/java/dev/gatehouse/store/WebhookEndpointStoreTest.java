package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.webhook.DestinationPolicy;
import dev.gatehouse.core.webhook.EndpointWithSecret;
import dev.gatehouse.core.webhook.NewWebhookEndpoint;
import dev.gatehouse.core.webhook.WebhookEndpoint;
import dev.gatehouse.core.webhook.WebhookEndpointPatch;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Webhook endpoints through the real WebhookEndpointService and repository, on each database. */
class WebhookEndpointStoreTest {
    static final String PUBLIC_URL = "https://93.184.216.34/hooks";

    static NewWebhookEndpoint endpoint(String url, String... types) {
        return new NewWebhookEndpoint(url, "orders", List.of(types), true);
    }

    @EachDatabase
    void createWhenValidThenSecretShownOnceAndStoredSealed(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");

            EndpointWithSecret created = f.webhooks.create(env.id(), endpoint(PUBLIC_URL, "organization.created"));

            assertThat(created.secret()).startsWith("whsec_");
            assertThat(Base64.getDecoder().decode(created.secret().substring(6))).hasSize(24);
            WebhookEndpoint read = f.webhooks.get(env.id(), created.endpoint().id());
            assertThat(read).isEqualTo(created.endpoint());
            assertThat(read.id()).matches("whe_\\d{17}");
            assertThat(read.eventTypes()).containsExactly("organization.created");
            assertThat(read.sealedSecret()).doesNotContain(created.secret().substring(6));
            assertThat(f.webhooks.signingSecrets(read, f.clock.instant())).containsExactly(created.secret());
            assertThat(created.toString()).doesNotContain(created.secret());
        }
    }

    @EachDatabase
    void getWhenOtherEnvironmentThenNotFoundAndListIsolated(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment alpha = f.environment("alpha");
            Environment beta = f.environment("beta");
            EndpointWithSecret a = f.webhooks.create(alpha.id(), endpoint(PUBLIC_URL));

            assertThatThrownBy(() -> f.webhooks.get(beta.id(), a.endpoint().id())).isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> f.webhooks.delete(beta.id(), a.endpoint().id())).isInstanceOf(DomainException.NotFound.class);
            assertThat(f.webhooks.list(beta.id())).isEmpty();
            assertThat(f.webhooks.list(alpha.id())).extracting(WebhookEndpoint::id).containsExactly(a.endpoint().id());
        }
    }

    @EachDatabase
    void rotateSecretWhenWithinOverlapThenBothSignAndAfterOverlapOnlyNew(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            EndpointWithSecret created = f.webhooks.create(env.id(), endpoint(PUBLIC_URL));

            EndpointWithSecret rotated = f.webhooks.rotateSecret(env.id(), created.endpoint().id());
            WebhookEndpoint read = f.webhooks.get(env.id(), created.endpoint().id());

            assertThat(rotated.secret()).isNotEqualTo(created.secret()).startsWith("whsec_");
            assertThat(f.webhooks.signingSecrets(read, f.clock.instant())).containsExactly(rotated.secret(), created.secret());
            f.clock.advance(Duration.ofHours(24));
            assertThat(f.webhooks.signingSecrets(read, f.clock.instant())).containsExactly(rotated.secret());
        }
    }

    @EachDatabase
    void updateAndDisableWhenValidThenStored(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            String id = f.webhooks.create(env.id(), endpoint(PUBLIC_URL, "organization.created")).endpoint().id();

            f.webhooks.update(env.id(), id, new WebhookEndpointPatch(Optional.of("https://93.184.216.35/x"),
                    Optional.empty(), Optional.of(List.of())));
            f.webhooks.setEnabled(env.id(), id, false);

            WebhookEndpoint read = f.webhooks.get(env.id(), id);
            assertThat(read.url()).isEqualTo("https://93.184.216.35/x");
            assertThat(read.description()).isEqualTo("orders");
            assertThat(read.eventTypes()).isEmpty();
            assertThat(read.enabled()).isFalse();
            assertThat(f.webhooks.setEnabled(env.id(), id, true).enabled()).isTrue();
        }
    }

    @EachDatabase
    void createWhenUrlNotAllowedOrTypeUnknownThenInvalidArgumentAndNothingStored(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");

            for (String url : List.of("http://93.184.216.34/", "https://127.0.0.1/", "https://10.1.2.3/",
                    "https://169.254.169.254/latest", "https://[::1]/", "https://[fd00::1]/", "ftp://93.184.216.34/",
                    "not a url", "", "https://100.64.0.1/", "https://0.0.0.0/", "https://[::ffff:127.0.0.1]/")) {
                assertThatThrownBy(() -> f.webhooks.create(env.id(), endpoint(url)))
                        .as(url).isInstanceOf(DomainException.InvalidArgument.class);
            }
            assertThatThrownBy(() -> f.webhooks.create(env.id(), endpoint(PUBLIC_URL, "user.exploded")))
                    .isInstanceOf(DomainException.InvalidArgument.class);
            assertThat(f.webhooks.list(env.id())).isEmpty();
        }
    }

    @EachDatabase
    void createWhenPrivateAllowedThenHttpToLoopbackAcceptedButNotToOtherHosts(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            var dev = f.webhookService(new DestinationPolicy(true));

            assertThat(dev.create(env.id(), endpoint("http://127.0.0.1:9999/hook")).endpoint().url())
                    .isEqualTo("http://127.0.0.1:9999/hook");
            assertThat(dev.create(env.id(), endpoint("https://10.1.2.3/hook")).endpoint().enabled()).isTrue();
            assertThatThrownBy(() -> dev.create(env.id(), endpoint("http://10.1.2.3/hook")))
                    .isInstanceOf(DomainException.InvalidArgument.class);
        }
    }
}
