package dev.gatehouse.store;

import dev.gatehouse.core.connection.ConnectionLoginRouter;
import dev.gatehouse.core.connection.LoginRoute;
import dev.gatehouse.core.connection.LoginSelectors;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

/**
 * Server-side latency of login routing by domain ({@link ConnectionLoginRouter#route}: one indexed query and the
 * connection rows) with many organizations, each with a domain and a connection. Run by bench/routing-bench.sh:
 * {@code RoutingBench <organizations> <warmup lookups> <measured lookups>}. The database is a fresh H2 file, or a
 * fresh schema of GATEHOUSE_TEST_POSTGRES_URL when that is set; it is dropped at the end.
 */
public final class RoutingBench {
    private RoutingBench() {}

    public static void main(String[] args) {
        int organizations = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int lookups = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        try (TestDatabases.TestDatabase testDatabase = TestDatabases.preferred(); Database database = testDatabase.open()) {
            JdbiTransactions tx = new JdbiTransactions(database.jdbi());
            Clock clock = Clock.systemUTC();
            IdGenerator ids = new IdGenerator(clock, 1);
            Environment environment = new Environment(ids.next(IdPrefix.ENVIRONMENT), "bench", "https://bench.test",
                    clock.instant().truncatedTo(ChronoUnit.MICROS));
            new JdbiEnvironmentRepository(tx).create(environment);

            long started = System.nanoTime();
            RoutingSeeder.Seeded seeded = RoutingSeeder.seed(database.jdbi(), ids, environment.id(), organizations,
                    "bench.test", Instant.now().truncatedTo(ChronoUnit.MICROS));
            if (testDatabase.kind().equals("postgresql")) {
                database.jdbi().useHandle(h -> h.execute("analyze"));
            }
            System.out.printf("database %s: %,d organizations with a domain and a connection seeded in %.1f s%n",
                    testDatabase.kind(), organizations, (System.nanoTime() - started) / 1e9);

            ConnectionLoginRouter router = new ConnectionLoginRouter(new JdbiConnectionRepository(tx),
                    new JdbiDomainRepository(tx), new JdbiAuditTrail(tx, ids, dev.gatehouse.core.audit.AuditChain.keyedBy(new byte[32])), clock);
            Random random = new Random(7);
            run(router, environment.id(), seeded, random, warmup);
            long[] nanos = run(router, environment.id(), seeded, random, lookups);
            Arrays.sort(nanos);
            long total = Arrays.stream(nanos).sum();
            System.out.printf("route by domain, %,d lookups on one thread: p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  "
                            + "p99.9 %.3f ms  max %.3f ms  (%.0f lookups/s)%n", lookups, ms(nanos, 0.50), ms(nanos, 0.90),
                    ms(nanos, 0.99), ms(nanos, 0.999), nanos[nanos.length - 1] / 1e6, lookups / (total / 1e9));
            System.out.println("target (issue 4): p99 <= 5 ms server-side for authorize-to-IdP-redirect with 100,000 organizations");
        }
    }

    private static long[] run(ConnectionLoginRouter router, String environmentId, RoutingSeeder.Seeded seeded, Random random,
                              int lookups) {
        long[] nanos = new long[Math.max(lookups, 1)];
        for (int n = 0; n < lookups; n++) {
            int i = random.nextInt(seeded.domains().size());
            long start = System.nanoTime();
            LoginRoute route = router.route(environmentId, new LoginSelectors(Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of(seeded.domains().get(i)), Optional.empty()));
            nanos[n] = System.nanoTime() - start;
            if (!(route instanceof LoginRoute.ToConnection to) || !to.connection().id().equals(seeded.connectionIds().get(i))) {
                throw new IllegalStateException("wrong route for " + seeded.domains().get(i) + ": " + route);
            }
        }
        return nanos;
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
