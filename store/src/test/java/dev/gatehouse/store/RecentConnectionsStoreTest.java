package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.organization.Organization;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@link JdbiConnectionRepository#findRecent} (D-AC4), on H2 and PostgreSQL: what it read is kept for a few
 * seconds, this node's own writes are seen at once (also when made in a transaction), another node's only through
 * {@link JdbiConnectionRepository#findById} until the memory expires.
 */
class RecentConnectionsStoreTest {

    @EachDatabase
    void findRecentWhenThisNodeDisablesThenSeesItAtOnce(String kind) {
        try (ConnectionFixture c = new ConnectionFixture(kind)) {
            Organization acme = c.organization("Acme");
            Connection connection = enabledSaml(c, acme);
            assertThat(c.connectionRepository.findRecent(c.environment.id(), connection.id())).map(Connection::enabled)
                    .contains(true);

            c.connections.setEnabled(c.environment.id(), Optional.empty(), connection.id(), false);

            assertThat(c.connectionRepository.findRecent(c.environment.id(), connection.id())).map(Connection::enabled)
                    .contains(false);
        }
    }

    @EachDatabase
    void findRecentWhenAnotherNodeChangesTheRowThenKeepsWhatItReadWhileFindByIdSeesTheChange(String kind) {
        try (ConnectionFixture c = new ConnectionFixture(kind)) {
            Organization acme = c.organization("Acme");
            Connection connection = enabledSaml(c, acme);
            assertThat(c.connectionRepository.findRecent(c.environment.id(), connection.id())).map(Connection::enabled)
                    .contains(true);
            JdbiConnectionRepository otherNode = new JdbiConnectionRepository(new JdbiTransactions(c.f.database.jdbi()));

            otherNode.update(connection.withEnabled(false, c.f.clock.instant()));

            assertThat(c.connectionRepository.findRecent(c.environment.id(), connection.id())).map(Connection::enabled)
                    .contains(true);
            assertThat(c.connectionRepository.findById(c.environment.id(), connection.id())).map(Connection::enabled)
                    .contains(false);
            assertThat(otherNode.findRecent(c.environment.id(), connection.id())).map(Connection::enabled).contains(false);
        }
    }

    @EachDatabase
    void findRecentWhenAWriteCommitsAfterAnotherThreadReadThenTheOldRowIsNotKept(String kind) {
        try (ConnectionFixture c = new ConnectionFixture(kind)) {
            Organization acme = c.organization("Acme");
            Connection connection = enabledSaml(c, acme);
            String env = c.environment.id();

            c.f.tx.inTransaction(() -> {
                c.connectionRepository.update(connection.withEnabled(false, c.f.clock.instant()));
                // Inside the transaction its own write is read from storage.
                assertThat(c.connectionRepository.findRecent(env, connection.id())).map(Connection::enabled).contains(false);
                // Another thread still reads the committed row (this transaction is open) and may remember it...
                Optional<Connection> elsewhere = CompletableFuture.supplyAsync(
                        () -> c.connectionRepository.findRecent(env, connection.id())).join();
                assertThat(elsewhere).map(Connection::enabled).contains(true);
                return null;
            });

            // ...but not past the commit.
            assertThat(c.connectionRepository.findRecent(env, connection.id())).map(Connection::enabled).contains(false);
        }
    }

    @EachDatabase
    void findRecentWhenDeletedOnThisNodeThenEmpty(String kind) {
        try (ConnectionFixture c = new ConnectionFixture(kind)) {
            Organization acme = c.organization("Acme");
            Connection connection = enabledSaml(c, acme);
            assertThat(c.connectionRepository.findRecent(c.environment.id(), connection.id())).isPresent();

            c.connections.delete(c.environment.id(), Optional.empty(), connection.id());

            assertThat(c.connectionRepository.findRecent(c.environment.id(), connection.id())).isEmpty();
            assertThat(c.connectionRepository.findRecent(c.environment.id(), "conn_unknown")).isEmpty();
        }
    }

    private static Connection enabledSaml(ConnectionFixture c, Organization organization) {
        Connection connection = ConnectionServiceStoreTest.completeSaml(c, organization);
        c.connections.setEnabled(c.environment.id(), Optional.empty(), connection.id(), true);
        return c.connectionRepository.findById(c.environment.id(), connection.id()).orElseThrow();
    }
}
