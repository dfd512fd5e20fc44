package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.environment.Environment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** The SAML assertion replay cache against a real database. */
class AssertionReplayCacheStoreTest {
    private static final String CONNECTION = "conn_1";

    @EachDatabase
    void firstUseWhenSameAssertionTwiceThenSecondIsReplay(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            JdbiAssertionReplayCache cache = new JdbiAssertionReplayCache(f.tx);
            Instant expires = f.clock.instant().plusSeconds(300);

            assertThat(cache.firstUse(env.id(), CONNECTION, "_a1", expires)).isTrue();
            assertThat(cache.firstUse(env.id(), CONNECTION, "_a1", expires)).isFalse();
            assertThat(cache.firstUse(env.id(), CONNECTION, "_a2", expires)).isTrue();
            assertThat(f.count("saml_assertion_ids", env.id())).isEqualTo(2);
        }
    }

    @EachDatabase
    void firstUseWhenOtherConnectionOrEnvironmentThenIndependent(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment alpha = f.environment("alpha");
            Environment beta = f.environment("beta");
            JdbiAssertionReplayCache cache = new JdbiAssertionReplayCache(f.tx);
            Instant expires = f.clock.instant().plusSeconds(300);
            cache.firstUse(alpha.id(), CONNECTION, "_a1", expires);

            assertThat(cache.firstUse(beta.id(), CONNECTION, "_a1", expires)).isTrue();
            assertThat(cache.firstUse(alpha.id(), "conn_2", "_a1", expires)).isTrue();
            assertThat(cache.purgeExpired(expires.plusSeconds(1), 100)).isEqualTo(3);
            assertThat(f.count("saml_assertion_ids")).isZero();
        }
    }

    @EachDatabase
    void firstUseWhenInsideTransactionAndReplayedThenTransactionStillCommits(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            JdbiAssertionReplayCache cache = new JdbiAssertionReplayCache(f.tx);
            Instant expires = f.clock.instant().plusSeconds(300);
            cache.firstUse(env.id(), CONNECTION, "_a1", expires);

            boolean replayFirst = f.tx.inTransaction(() -> cache.firstUse(env.id(), CONNECTION, "_a1", expires));
            boolean other = f.tx.inTransaction(() -> {
                cache.firstUse(env.id(), CONNECTION, "_a1", expires);
                return cache.firstUse(env.id(), CONNECTION, "_a3", expires);
            });

            assertThat(replayFirst).isFalse();
            assertThat(other).isTrue();
            assertThat(f.count("saml_assertion_ids", env.id())).isEqualTo(2);
        }
    }

    @EachDatabase
    void purgeExpiredWhenSomeExpiredThenOnlyThoseDeletedUpToLimit(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            JdbiAssertionReplayCache cache = new JdbiAssertionReplayCache(f.tx);
            Instant now = f.clock.instant();
            for (int i = 0; i < 5; i++) {
                cache.firstUse(env.id(), CONNECTION, "_old" + i, now.minusSeconds(10 + i));
            }
            cache.firstUse(env.id(), CONNECTION, "_live", now.plusSeconds(60));

            assertThat(cache.purgeExpired(now, 3)).isEqualTo(3);
            assertThat(cache.purgeExpired(now, 100)).isEqualTo(2);
            assertThat(f.count("saml_assertion_ids", env.id())).isEqualTo(1);
            assertThat(cache.firstUse(env.id(), CONNECTION, "_live", now.plusSeconds(60))).isFalse();
        }
    }

    @EachDatabase
    void firstUseWhenManyNodesRaceWithOneAssertionThenExactlyOneWins(String kind) throws Exception {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            // Each "node" has its own cache object over the shared pool, as separate servers would.
            int nodes = 8;
            int rounds = 20;
            ExecutorService pool = Executors.newFixedThreadPool(nodes);
            try {
                for (int round = 0; round < rounds; round++) {
                    String assertionId = "_race" + round;
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<Boolean>> results = new ArrayList<>();
                    for (int n = 0; n < nodes; n++) {
                        JdbiAssertionReplayCache node = new JdbiAssertionReplayCache(new JdbiTransactions(f.database.jdbi()));
                        Callable<Boolean> use = () -> {
                            start.await();
                            return node.firstUse(env.id(), CONNECTION, assertionId, f.clock.instant().plusSeconds(60));
                        };
                        results.add(pool.submit(use));
                    }
                    start.countDown();
                    int winners = 0;
                    for (Future<Boolean> result : results) {
                        winners += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
                    }
                    assertThat(winners).as("round %d", round).isEqualTo(1);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(f.count("saml_assertion_ids", env.id())).isEqualTo(rounds);
        }
    }
}
