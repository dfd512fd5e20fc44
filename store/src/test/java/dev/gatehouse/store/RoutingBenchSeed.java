package dev.gatehouse.store;

import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.shared.IdGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Seeds a stopped Gatehouse's database for bench/routing-bench.sh: {@code count} organizations in the environment
 * whose issuer is {@code issuer}, each with the domain {@code org<i>.<suffix>} and one enabled, complete SAML
 * connection (Gatehouse's default HTTP-POST binding, unsigned AuthnRequests), written by {@link RoutingSeeder} in JDBC batches (rows
 * only: no events, no audit records). On PostgreSQL the tables are analyzed afterwards, as autovacuum would.
 * {@code RoutingBenchSeed <jdbc url> <user> <password> <issuer> <count> <suffix>}.
 */
public final class RoutingBenchSeed {
    private RoutingBenchSeed() {}

    public static void main(String[] args) {
        if (args.length != 6) {
            throw new IllegalArgumentException("RoutingBenchSeed <jdbc url> <user> <password> <issuer> <count> <suffix>");
        }
        int count = Integer.parseInt(args[4]);
        try (Database database = Database.open(args[0], args[1], args[2], 2)) {
            Environment environment = new JdbiEnvironmentRepository(new JdbiTransactions(database.jdbi()))
                    .findByIssuer(args[3])
                    .orElseThrow(() -> new IllegalStateException("no environment with issuer " + args[3]));
            long started = System.nanoTime();
            RoutingSeeder.seed(database.jdbi(), new IdGenerator(Clock.systemUTC(), 7), environment.id(), count, args[5],
                    Instant.now().truncatedTo(ChronoUnit.MICROS));
            if (args[0].startsWith("jdbc:postgresql:")) {
                database.jdbi().useHandle(h -> h.execute("analyze"));
            }
            System.out.printf("seeded %,d organizations, domains and SAML connections in %.1f s%n", count,
                    (System.nanoTime() - started) / 1e9);
        }
    }
}
