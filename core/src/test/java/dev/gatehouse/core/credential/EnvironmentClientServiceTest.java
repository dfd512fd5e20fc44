package dev.gatehouse.core.credential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.Transactions;
import dev.gatehouse.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Client secret checks, and how long a verified secret is trusted without reading storage (D-TP1). */
class EnvironmentClientServiceTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
    private final CountingRepository repository = new CountingRepository();
    private EnvironmentClientService service;
    private IssuedCredentials issued;

    @BeforeEach
    void setUp() {
        Transactions direct = new Transactions() {
            @Override
            public <T> T inTransaction(Supplier<T> work) {
                return work.get();
            }
        };
        service = new EnvironmentClientService(repository, new IdGenerator(clock, 1), new SecretGenerator(), clock, direct);
        issued = service.create("env_1", "bench", Optional.empty(), Optional.empty());
        repository.reads.set(0);
    }

    @Test
    void aVerifiedSecretIsTrustedBrieflyWithoutStorageReads() {
        assertThat(service.authenticate(issued.client().id(), issued.plainSecret()))
                .isInstanceOf(ClientAuthentication.Authenticated.class);
        int afterFirst = repository.reads.get();
        assertThat(afterFirst).isEqualTo(2);

        clock.advance(EnvironmentClientService.VERIFIED_FOR.minusMillis(1));
        assertThat(service.authenticate(issued.client().id(), issued.plainSecret()))
                .isInstanceOf(ClientAuthentication.Authenticated.class);
        assertThat(repository.reads.get()).as("served from the verified cache").isEqualTo(afterFirst);

        clock.advance(Duration.ofMillis(1));
        assertThat(service.authenticate(issued.client().id(), issued.plainSecret()))
                .isInstanceOf(ClientAuthentication.Authenticated.class);
        assertThat(repository.reads.get()).as("expired: storage is read again").isEqualTo(afterFirst + 2);
    }

    @Test
    void aWrongSecretIsRejectedEvenWhileTheRightOneIsRemembered() {
        service.authenticate(issued.client().id(), issued.plainSecret());
        assertThat(service.authenticate(issued.client().id(), issued.plainSecret() + "x"))
                .isEqualTo(new ClientAuthentication.Rejected("secret does not match", Optional.of("env_1")));
        assertThat(service.authenticate("skc_other", issued.plainSecret()))
                .isEqualTo(new ClientAuthentication.Rejected("unknown client"));
        assertThat(service.authenticate(issued.client().id(), ""))
                .isEqualTo(new ClientAuthentication.Rejected("missing client credentials"));
    }

    @Test
    void rejectionsAreNotRemembered() {
        service.authenticate(issued.client().id(), "wrong");
        service.authenticate(issued.client().id(), "wrong");
        assertThat(repository.reads.get()).isEqualTo(4);
    }

    @Test
    void forgetDropsTheRememberedSecretAtOnce() {
        service.authenticate(issued.client().id(), issued.plainSecret());
        repository.deactivateAll();
        assertThat(service.authenticate(issued.client().id(), issued.plainSecret()))
                .as("still trusted within the window on a node that was not told")
                .isInstanceOf(ClientAuthentication.Authenticated.class);

        service.forget(issued.client().id());
        assertThat(service.authenticate(issued.client().id(), issued.plainSecret()))
                .isInstanceOf(ClientAuthentication.Rejected.class);
    }

    @Test
    void rememberedAnswersOnlyForASecretVerifiedWithinTheWindowAndNeverReadsStorage() {
        String id = issued.client().id();
        assertThat(service.remembered(id, issued.plainSecret())).as("not verified yet").isEmpty();

        service.authenticate(id, issued.plainSecret());
        int reads = repository.reads.get();
        assertThat(service.remembered(id, issued.plainSecret())).contains(issued.client());
        assertThat(service.remembered(id, issued.plainSecret() + "x")).as("another secret").isEmpty();
        assertThat(service.remembered(id, "")).isEmpty();
        assertThat(service.remembered("skc_other", issued.plainSecret())).isEmpty();

        clock.advance(EnvironmentClientService.VERIFIED_FOR);
        assertThat(service.remembered(id, issued.plainSecret())).as("window over").isEmpty();
        assertThat(repository.reads.get()).as("remembered never reads storage").isEqualTo(reads);

        service.authenticate(id, issued.plainSecret());
        service.forget(id);
        assertThat(service.remembered(id, issued.plainSecret())).as("forgotten").isEmpty();
    }

    /** Storage in a list, counting reads. */
    private static final class CountingRepository implements EnvironmentClientRepository {
        final AtomicInteger reads = new AtomicInteger();
        private final List<EnvironmentClient> clients = new ArrayList<>();
        private final List<ClientSecret> secrets = new ArrayList<>();

        @Override
        public void insert(EnvironmentClient client) {
            clients.add(client);
        }

        @Override
        public void insertSecret(String environmentId, ClientSecret secret) {
            secrets.add(secret);
        }

        @Override
        public Optional<EnvironmentClient> findById(String clientId) {
            reads.incrementAndGet();
            return clients.stream().filter(c -> c.id().equals(clientId)).findFirst();
        }

        @Override
        public List<ClientSecret> secrets(String environmentId, String clientId) {
            reads.incrementAndGet();
            return secrets.stream().filter(s -> s.clientId().equals(clientId)).toList();
        }

        @Override
        public List<EnvironmentClient> list(String environmentId) {
            return List.copyOf(clients);
        }

        void deactivateAll() {
            secrets.replaceAll(s -> new ClientSecret(s.id(), s.clientId(), s.hash(), s.suffix(), s.createTime(),
                    SecretStatus.INACTIVE, s.createTime()));
        }
    }
}
