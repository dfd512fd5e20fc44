package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.credential.ClientAuthentication;
import dev.gatehouse.core.credential.ClientSecret;
import dev.gatehouse.core.credential.EnvironmentClientService;
import dev.gatehouse.core.credential.IssuedCredentials;
import dev.gatehouse.core.credential.SecretHash;
import dev.gatehouse.core.environment.Environment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;

/** Management clients and their secrets against a real database. */
class EnvironmentClientServiceStoreTest {
    @EachDatabase
    void authenticateWhenRightSecretThenAuthenticatedAsThatClient(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            IssuedCredentials issued = f.clients.create(env.id(), "ci", Optional.empty(), Optional.empty());

            ClientAuthentication result = f.clients.authenticate(issued.client().id(), issued.plainSecret());

            assertThat(result).isEqualTo(new ClientAuthentication.Authenticated(issued.client()));
            assertThat(issued.client().id()).matches("skc_\\d{17}");
            assertThat(issued.client().environmentId()).isEqualTo(env.id());
            assertThat(issued.plainSecret()).matches("gsk_[A-Za-z0-9_-]{43}");
        }
    }

    @EachDatabase
    void authenticateWhenWrongSecretThenRejected(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            IssuedCredentials issued = f.clients.create(env.id(), "ci", Optional.empty(), Optional.empty());
            IssuedCredentials other = f.clients.create(env.id(), "other", Optional.empty(), Optional.empty());
            String secret = issued.plainSecret();

            for (String wrong : List.of(secret + "x", secret.substring(0, secret.length() - 1), secret.toUpperCase(),
                    other.plainSecret(), SecretHash.of(secret).hex(), " " + secret)) {
                assertThat(f.clients.authenticate(issued.client().id(), wrong)).as(wrong)
                        .isEqualTo(new ClientAuthentication.Rejected("secret does not match", Optional.of(env.id())));
            }
        }
    }

    @EachDatabase
    void authenticateWhenCredentialsMissingThenRejected(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            IssuedCredentials issued = f.clients.create(env.id(), "ci", Optional.empty(), Optional.empty());
            ClientAuthentication missing = new ClientAuthentication.Rejected("missing client credentials");

            assertThat(f.clients.authenticate(issued.client().id(), "")).isEqualTo(missing);
            assertThat(f.clients.authenticate(issued.client().id(), null)).isEqualTo(missing);
            assertThat(f.clients.authenticate("", issued.plainSecret())).isEqualTo(missing);
            assertThat(f.clients.authenticate(null, issued.plainSecret())).isEqualTo(missing);
        }
    }

    @EachDatabase
    void authenticateWhenUnknownClientThenRejected(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            IssuedCredentials issued = f.clients.create(env.id(), "ci", Optional.empty(), Optional.empty());

            assertThat(f.clients.authenticate("skc_00000000000000001", issued.plainSecret()))
                    .isEqualTo(new ClientAuthentication.Rejected("unknown client"));
            assertThat(f.clients.authenticate(issued.client().id().toUpperCase(), issued.plainSecret()))
                    .isEqualTo(new ClientAuthentication.Rejected("unknown client"));
        }
    }

    @EachDatabase
    void storedSecretWhenReadFromDatabaseThenOnlyHashAndSuffixKept(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            IssuedCredentials issued = f.clients.create(env.id(), "ci", Optional.empty(), Optional.empty());
            String plain = issued.plainSecret();

            List<Map<String, Object>> rows = f.database.jdbi().withHandle(h -> h.createQuery(
                            "select * from environment_client_secrets where client_id = :client")
                    .bind("client", issued.client().id()).mapToMap().list());

            assertThat(rows).hasSize(1);
            Map<String, Object> row = rows.getFirst();
            assertThat(row.get("secret_sha256")).isEqualTo(SecretHash.of(plain).hex()).isNotEqualTo(plain);
            assertThat(row.get("suffix")).isEqualTo(plain.substring(plain.length() - 4));
            assertThat(row.values()).allSatisfy(value -> assertThat(String.valueOf(value)).doesNotContain(plain.substring(4)));
            List<ClientSecret> secrets = f.clientRepository.secrets(env.id(), issued.client().id());
            assertThat(secrets).singleElement().satisfies(secret -> {
                assertThat(secret.hash().matches(plain)).isTrue();
                assertThat(secret.clientId()).isEqualTo(issued.client().id());
                assertThat(secret.id()).matches("sks_\\d{17}");
            });
        }
    }

    @EachDatabase
    void addSecretWhenRotatingThenOldAndNewSecretsBothAuthenticate(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            IssuedCredentials original = f.clients.create(env.id(), "ci", Optional.empty(), Optional.empty());

            IssuedCredentials added = f.clients.addSecret(env.id(), original.client().id());

            assertThat(added.plainSecret()).isNotEqualTo(original.plainSecret());
            assertThat(added.client()).isEqualTo(original.client());
            assertThat(f.clients.authenticate(original.client().id(), original.plainSecret()))
                    .isInstanceOf(ClientAuthentication.Authenticated.class);
            assertThat(f.clients.authenticate(original.client().id(), added.plainSecret()))
                    .isInstanceOf(ClientAuthentication.Authenticated.class);
        }
    }

    @EachDatabase
    void addSecretWhenFiveSecretsExistThenSixthRefusedAndNotStored(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            IssuedCredentials original = f.clients.create(env.id(), "ci", Optional.empty(), Optional.empty());
            String clientId = original.client().id();
            List<String> secrets = new ArrayList<>(List.of(original.plainSecret()));
            for (int i = 1; i < EnvironmentClientService.MAX_SECRETS_PER_CLIENT; i++) {
                secrets.add(f.clients.addSecret(env.id(), clientId).plainSecret());
            }

            assertThatThrownBy(() -> f.clients.addSecret(env.id(), clientId)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> f.clients.addConfiguredSecret(env.id(), clientId, "gsk_configured"))
                    .isInstanceOf(IllegalStateException.class);

            assertThat(f.count("environment_client_secrets", env.id())).isEqualTo(5);
            assertThat(f.clients.authenticate(clientId, "gsk_configured")).isInstanceOf(ClientAuthentication.Rejected.class);
            for (String secret : secrets) {
                assertThat(f.clients.authenticate(clientId, secret)).isInstanceOf(ClientAuthentication.Authenticated.class);
            }
        }
    }

    @EachDatabase
    void addConfiguredSecretWhenBelowLimitThenItAuthenticates(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            IssuedCredentials original = f.clients.create(env.id(), "ci", Optional.empty(), Optional.empty());

            f.clients.addConfiguredSecret(env.id(), original.client().id(), "operator-chosen-secret");

            assertThat(f.clients.authenticate(original.client().id(), "operator-chosen-secret"))
                    .isInstanceOf(ClientAuthentication.Authenticated.class);
            assertThat(f.clientRepository.secrets(env.id(), original.client().id()))
                    .extracting(ClientSecret::suffix).contains("cret");
        }
    }

    @EachDatabase
    void addSecretWhenClientUnknownThenIllegalArgumentAndNothingWritten(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");

            assertThatThrownBy(() -> f.clients.addSecret(env.id(), "skc_missing")).isInstanceOf(IllegalArgumentException.class);
            assertThat(f.count("environment_client_secrets")).isZero();
        }
    }

    @EachDatabase
    void createWhenClientIdAlreadyUsedThenFailsAndExistingClientKeepsWorking(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            IssuedCredentials first = f.clients.create(env.id(), "ci", Optional.of("skc_fixed"), Optional.of("gsk_first"));

            Assertions.assertThrows(RuntimeException.class,
                    () -> f.clients.create(env.id(), "again", Optional.of("skc_fixed"), Optional.of("gsk_second")));

            assertThat(f.clients.authenticate("skc_fixed", "gsk_first"))
                    .isEqualTo(new ClientAuthentication.Authenticated(first.client()));
            assertThat(f.clients.authenticate("skc_fixed", "gsk_second")).isInstanceOf(ClientAuthentication.Rejected.class);
            assertThat(f.count("environment_client_secrets")).isEqualTo(1);
        }
    }
}
