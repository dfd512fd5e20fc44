package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.credential.ClientAuthentication;
import dev.gatehouse.core.environment.EnvironmentService.CreatedEnvironment;
import dev.gatehouse.core.key.SigningKey;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** EnvironmentService.create against a real database: everything an environment needs, or nothing. */
class EnvironmentServiceStoreTest {
    @EachDatabase
    void createWhenValidThenEnvironmentActiveKeyAndWorkingClientStored(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            CreatedEnvironment created = f.environments.create("Production", "https://auth.example.test/",
                    Optional.empty(), Optional.empty());

            String envId = created.environment().id();
            assertThat(envId).matches("env_\\d{17}");
            assertThat(created.environment().issuerUrl()).isEqualTo("https://auth.example.test");
            assertThat(created.environment().createTime()).isEqualTo(StoreFixture.START.truncatedTo(ChronoUnit.MICROS));
            assertThat(f.environmentRepository.findById(envId)).contains(created.environment());
            assertThat(f.environmentRepository.findByIssuer("https://auth.example.test")).contains(created.environment());

            assertThat(f.keys.published(envId)).singleElement()
                    .satisfies(key -> assertThat(key.state()).isEqualTo(SigningKey.KeyState.ACTIVE));
            assertThat(f.clientRepository.list(envId)).containsExactly(created.credentials().client());
            assertThat(created.credentials().client().name()).isEqualTo("default");
            assertThat(created.credentials().plainSecret()).startsWith("gsk_");
            assertThat(f.clients.authenticate(created.credentials().client().id(), created.credentials().plainSecret()))
                    .isEqualTo(new ClientAuthentication.Authenticated(created.credentials().client()));
        }
    }

    @EachDatabase
    void createWhenFixedClientIdAndSecretThenThoseAuthenticate(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            CreatedEnvironment created = f.environments.create("Bootstrap", "http://127.0.0.1:8080",
                    Optional.of("skc_bootstrap"), Optional.of("gsk_bootstrap_secret_for_tests"));

            assertThat(created.credentials().client().id()).isEqualTo("skc_bootstrap");
            assertThat(f.clients.authenticate("skc_bootstrap", "gsk_bootstrap_secret_for_tests"))
                    .isInstanceOf(ClientAuthentication.Authenticated.class);
        }
    }

    @EachDatabase
    void createWhenClientInsertFailsThenNoEnvironmentKeyOrClientRemains(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            CreatedEnvironment first = f.environments.create("First", "https://first.example.test",
                    Optional.of("skc_taken"), Optional.empty());

            // The second environment's client ID clashes with the first's: the client insert fails after the
            // environment row and its signing key were written in the same transaction.
            assertThatThrownBy(() -> f.environments.create("Second", "https://second.example.test",
                    Optional.of("skc_taken"), Optional.empty()))
                    .isInstanceOf(RuntimeException.class);

            assertThat(f.environmentRepository.findByIssuer("https://second.example.test")).isEmpty();
            assertThat(f.environmentRepository.list()).containsExactly(first.environment());
            assertThat(f.count("environments")).isEqualTo(1);
            assertThat(f.count("signing_keys")).isEqualTo(1);
            assertThat(f.count("signing_keys", first.environment().id())).isEqualTo(1);
            assertThat(f.count("environment_clients")).isEqualTo(1);
            assertThat(f.count("environment_client_secrets")).isEqualTo(1);
            assertThat(f.clients.authenticate("skc_taken", first.credentials().plainSecret()))
                    .isInstanceOf(ClientAuthentication.Authenticated.class);
        }
    }

    @EachDatabase
    void createWhenRetriedAfterFailedAttemptThenSucceedsWithSameIssuer(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            f.environments.create("First", "https://first.example.test", Optional.of("skc_taken"), Optional.empty());
            assertThatThrownBy(() -> f.environments.create("Second", "https://second.example.test",
                    Optional.of("skc_taken"), Optional.empty())).isInstanceOf(RuntimeException.class);

            CreatedEnvironment second = f.environments.create("Second", "https://second.example.test",
                    Optional.empty(), Optional.empty());

            assertThat(f.count("environments")).isEqualTo(2);
            assertThat(f.keys.active(second.environment().id())).isPresent();
            assertThat(f.clientRepository.list(second.environment().id())).hasSize(1);
        }
    }

    @EachDatabase
    void createWhenIssuerAlreadyUsedThenRefusedAndNothingWritten(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            f.environments.create("First", "https://same.example.test", Optional.empty(), Optional.empty());

            assertThatThrownBy(() -> f.environments.create("Again", "https://same.example.test//",
                    Optional.empty(), Optional.empty()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("https://same.example.test");

            assertThat(f.count("environments")).isEqualTo(1);
            assertThat(f.count("signing_keys")).isEqualTo(1);
            assertThat(f.count("environment_clients")).isEqualTo(1);
        }
    }

    @EachDatabase
    void createWhenIssuerNotHttpThenRefusedAndNothingWritten(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            assertThatThrownBy(() -> f.environments.create("Bad", "ftp://files.example.test", Optional.empty(),
                    Optional.empty())).isInstanceOf(IllegalArgumentException.class);

            assertThat(f.count("environments")).isZero();
            assertThat(f.count("signing_keys")).isZero();
        }
    }
}
