package dev.gatehouse.core.environment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvironmentDirectoryTest {
    private static final Instant START = Instant.parse("2025-06-01T12:00:00Z");

    /** An in-memory table that counts how often it is read. */
    private static final class InMemoryEnvironments implements EnvironmentRepository {
        final List<Environment> rows = new ArrayList<>();
        final AtomicInteger listCalls = new AtomicInteger();

        @Override
        public void create(Environment environment) {
            rows.add(environment);
        }

        @Override
        public Optional<Environment> findById(String environmentId) {
            return rows.stream().filter(e -> e.id().equals(environmentId)).findFirst();
        }

        @Override
        public Optional<Environment> findByIssuer(String issuerUrl) {
            return rows.stream().filter(e -> e.issuerUrl().equals(issuerUrl)).findFirst();
        }

        @Override
        public List<Environment> list() {
            listCalls.incrementAndGet();
            return List.copyOf(rows);
        }
    }

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryEnvironments table = new InMemoryEnvironments();
    private final EnvironmentDirectory directory = new EnvironmentDirectory(table, clock);
    private final Environment bootstrap = new Environment("env_1", "bootstrap", "http://127.0.0.1:8080", START);
    private final Environment acme = new Environment("env_2", "acme", "https://acme.example.com", START);

    @Test
    void byIdWhenKnownThenFoundFromOneRead() {
        table.create(bootstrap);
        table.create(acme);

        assertThat(directory.byId("env_2")).contains(acme);
        assertThat(directory.byId("env_1")).contains(bootstrap);
        assertThat(directory.byIssuer("https://acme.example.com")).contains(acme);
        assertThat(table.listCalls).hasValue(1);
    }

    @Test
    void inMemoryByIdAnswersFromAFreshCopyOnlyAndNeverReadsTheTable() {
        table.create(bootstrap);
        assertThat(directory.inMemoryById("env_1")).as("nothing loaded yet").isEmpty();
        assertThat(table.listCalls).hasValue(0);

        directory.byId("env_1");
        assertThat(directory.inMemoryById("env_1")).contains(bootstrap);
        assertThat(directory.inMemoryById("env_2")).isEmpty();

        clock.advance(EnvironmentDirectory.REFRESH_INTERVAL.plusMillis(1));
        assertThat(directory.inMemoryById("env_1")).as("copy too old").isEmpty();
        assertThat(table.listCalls).hasValue(1);
    }

    @Test
    void byIdWhenCreatedAfterLoadThenVisibleOnlyAfterMissRefreshInterval() {
        table.create(bootstrap);
        assertThat(directory.byId("env_1")).isPresent();
        table.create(acme);

        assertThat(directory.byId("env_2")).isEmpty();
        clock.advance(EnvironmentDirectory.MISS_REFRESH_INTERVAL);
        assertThat(directory.byId("env_2")).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(directory.byId("env_2")).contains(acme);
    }

    @Test
    void byIdWhenUnknownIdsFloodThenTableReadAtMostOncePerMissInterval() {
        table.create(bootstrap);
        directory.byId("env_1");

        for (int i = 0; i < 1_000; i++) {
            assertThat(directory.byId("env_unknown_" + i)).isEmpty();
        }
        assertThat(table.listCalls).hasValue(1);

        clock.advance(EnvironmentDirectory.MISS_REFRESH_INTERVAL.plusMillis(1));
        for (int i = 0; i < 1_000; i++) {
            directory.byIssuer("https://unknown-" + i + ".example.com");
        }
        assertThat(table.listCalls).hasValue(2);
    }

    @Test
    void byIdWhenSnapshotOlderThanRefreshIntervalThenRemovedEnvironmentDisappears() {
        table.create(bootstrap);
        table.create(acme);
        assertThat(directory.byId("env_2")).isPresent();
        table.rows.remove(acme);

        clock.advance(EnvironmentDirectory.REFRESH_INTERVAL);
        assertThat(directory.byId("env_2")).isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(directory.byId("env_2")).isEmpty();
    }

    @Test
    void invalidateWhenCalledThenNextLookupReadsTable() {
        table.create(bootstrap);
        directory.byId("env_1");
        table.create(acme);

        directory.invalidate();

        assertThat(directory.byAuthority("acme.example.com:443")).contains(acme);
        assertThat(table.listCalls).hasValue(2);
    }

    @ParameterizedTest
    @CsvSource({
            "acme.example.com:443, env_2",
            "ACME.example.COM:443, env_2",
            "127.0.0.1:8080, env_1",
            "plain.example.com:80, env_3",
            "acme.example.com:80, env_1",
            "unknown.example.com:443, env_1",
            "acme.example.com, env_1",
    })
    void byAuthorityWhenLookedUpThenMatchingIssuerElseFirstEnvironment(String authority, String expectedId) {
        table.create(bootstrap);
        table.create(acme);
        table.create(new Environment("env_3", "plain", "http://plain.example.com/", START));

        assertThat(directory.byAuthority(authority)).map(Environment::id).contains(expectedId);
    }

    @Test
    void byAuthorityWhenNoEnvironmentsThenEmpty() {
        assertThat(directory.byAuthority("127.0.0.1:8080")).isEmpty();
        assertThat(directory.byAuthority(null)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "https://acme.example.com, acme.example.com:443",
            "http://acme.example.com, acme.example.com:80",
            "https://acme.example.com:8443/tenant, acme.example.com:8443",
            "http://127.0.0.1:8080, 127.0.0.1:8080",
    })
    void authorityOfWhenPortImplicitThenSchemeDefault(String issuer, String expected) {
        assertThat(EnvironmentDirectory.authorityOf(issuer)).isEqualTo(expected);
    }
}
