package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.connection.LoginRoute;
import dev.gatehouse.core.connection.LoginSelectors;
import java.util.Optional;
import java.util.Random;

/**
 * Domain routing among many organizations (each with a domain and a connection), seeded by batch inserts: every
 * sampled domain reaches its own connection, and the domain lookup is answered from the (environment, name) index.
 * Latency at 100,000 organizations is measured by bench/routing-bench.sh, not here.
 */
class RoutingAtScaleStoreTest {
    static final int ORGANIZATIONS = 5_000;

    @EachDatabase
    void domainRouteWhenThousandsOfOrganizationsThenEachDomainReachesItsConnectionThroughTheIndex(String kind) {
        try (ConnectionFixture c = new ConnectionFixture(kind)) {
            long started = System.nanoTime();
            RoutingSeeder.Seeded seeded = RoutingSeeder.seed(c.f.database.jdbi(), c.f.ids, c.environment.id(), ORGANIZATIONS,
                    "scale.test", c.f.clock.instant());
            System.out.printf("RoutingAtScaleStoreTest[%s]: %d organizations seeded in %d ms%n", kind, ORGANIZATIONS,
                    (System.nanoTime() - started) / 1_000_000);
            assertThat(c.f.count("domains", c.environment.id())).isEqualTo(ORGANIZATIONS);

            Random random = new Random(42);
            for (int n = 0; n < 200; n++) {
                int i = random.nextInt(ORGANIZATIONS);
                LoginRoute route = c.router.route(c.environment.id(), new LoginSelectors(Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.of(seeded.domains().get(i)), Optional.empty()));
                assertThat(route).isInstanceOfSatisfying(LoginRoute.ToConnection.class, to -> {
                    assertThat(to.connection().id()).isEqualTo(seeded.connectionIds().get(i));
                    assertThat(to.connection().organizationId()).isEqualTo(seeded.organizationIds().get(i));
                });
            }

            String plan = c.f.database.jdbi().withHandle(h -> {
                if (kind.equals("postgresql")) {
                    h.execute("analyze domains");
                }
                return String.join("\n", h.createQuery("explain select * from domains where environment_id = :env and name = :name")
                        .bind("env", c.environment.id()).bind("name", seeded.domains().getFirst())
                        .mapTo(String.class).list());
            });
            assertThat(plan.toLowerCase()).as(plan).contains("domains_name_unique").doesNotContain("seq scan");
        }
    }
}
