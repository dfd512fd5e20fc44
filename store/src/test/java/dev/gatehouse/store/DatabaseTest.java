package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Opening a database: migrations, kind detection and health. */
class DatabaseTest {
    private static List<String> appliedVersions(Database database) {
        return database.jdbi().withHandle(h -> h.createQuery("""
                        select "version" from "flyway_schema_history"
                        where "version" is not null and "success" order by "installed_rank\"""")
                .mapTo(String.class).list());
    }

    @EachDatabase
    void openWhenFreshThenMigratedHealthyAndKindDetected(String kind) {
        try (TestDatabases.TestDatabase testDatabase = TestDatabases.create(kind);
             Database database = testDatabase.open()) {
            assertThat(database.isHealthy()).isTrue();
            assertThat(database.kind()).isEqualTo(kind.equals("h2") ? Database.Kind.H2 : Database.Kind.POSTGRESQL);
            // Later migrations may be added; the first two create the tables every repository uses.
            assertThat(appliedVersions(database)).startsWith("0001", "0002").doesNotHaveDuplicates();
            long failed = database.jdbi().withHandle(h -> h.createQuery(
                    "select count(*) from \"flyway_schema_history\" where not \"success\"").mapTo(Long.class).one());
            assertThat(failed).isZero();
        }
    }

    @EachDatabase
    void openWhenAlreadyMigratedThenDataKeptAndNothingReapplied(String kind) {
        try (TestDatabases.TestDatabase testDatabase = TestDatabases.create(kind)) {
            List<String> firstVersions;
            try (Database first = testDatabase.open()) {
                first.jdbi().useHandle(h -> h.execute("insert into environments (id, name, issuer_url, create_time)"
                        + " values ('env_1', 'one', 'https://one.example.test', current_timestamp)"));
                firstVersions = appliedVersions(first);
            }
            try (Database second = testDatabase.open()) {
                long environments = second.jdbi().withHandle(h -> h.createQuery("select count(*) from environments")
                        .mapTo(Long.class).one());
                assertThat(environments).isEqualTo(1);
                assertThat(appliedVersions(second)).isEqualTo(firstVersions);
            }
        }
    }

    @EachDatabase
    void maintenanceWarningWhenPostgresqlThenFollowsAutovacuumSetting(String kind) {
        try (TestDatabases.TestDatabase testDatabase = TestDatabases.create(kind);
             Database database = testDatabase.open()) {
            if (kind.equals("h2")) {
                assertThat(database.maintenanceWarning()).isEmpty();
                return;
            }
            // Whatever the test server's configuration: warned exactly when it runs without autovacuum.
            String autovacuum = database.jdbi().withHandle(h -> h.createQuery("show autovacuum").mapTo(String.class).one());
            assertThat(database.maintenanceWarning().isPresent()).isEqualTo(autovacuum.equals("off"));
        }
    }

    @Test
    void autovacuumWarningWhenOffThenPresentOtherwiseEmpty() {
        assertThat(Database.autovacuumWarning("off")).hasValueSatisfying(w -> assertThat(w).contains("autovacuum = off", "ANALYZE"));
        assertThat(Database.autovacuumWarning("OFF ")).isPresent();
        assertThat(Database.autovacuumWarning("on")).isEmpty();
    }

    @EachDatabase
    void isHealthyWhenClosedThenFalse(String kind) {
        try (TestDatabases.TestDatabase testDatabase = TestDatabases.create(kind)) {
            Database database = testDatabase.open();
            database.close();

            assertThat(database.isHealthy()).isFalse();
        }
    }
}
