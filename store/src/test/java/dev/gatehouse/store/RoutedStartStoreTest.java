package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.connection.ConnectionIdentityProviders;
import dev.gatehouse.core.connection.ConnectionStarter;
import dev.gatehouse.core.connection.ConnectionType;
import dev.gatehouse.core.connection.LoginRoute;
import dev.gatehouse.core.connection.LoginSelectors;
import dev.gatehouse.core.login.AuthorizeRequest;
import dev.gatehouse.core.login.IdentityProviderRedirect;
import dev.gatehouse.core.login.IdentityProviderStarter;
import dev.gatehouse.core.login.LoginStep;
import dev.gatehouse.core.login.LoginTransaction;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationRef;
import dev.gatehouse.core.shared.IdPrefix;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link ConnectionIdentityProviders#routedTo} (D-RB3), on H2 and PostgreSQL: a sign-in routed to a connection starts
 * with the row the router read for that request, without reading the connection again; the enabled check still
 * applies to that row, and any other ID is started as before (read through the 5-second memory).
 */
class RoutedStartStoreTest {

    /** The SAML type's starter as the protocol module sees it: it records which row it was handed. */
    private static final class RecordingStarter implements ConnectionStarter {
        final List<Connection> started = new ArrayList<>();
        final JdbiConnectionRepository connections;

        RecordingStarter(JdbiConnectionRepository connections) {
            this.connections = connections;
        }

        @Override
        public IdentityProviderRedirect start(String environmentId, Connection connection, LoginTransaction login) {
            started.add(connection);
            return new IdentityProviderRedirect.Location("https://idp.example.test/sso?login=" + login.id());
        }

        @Override
        public IdentityProviderRedirect start(String environmentId, String connectionId, LoginTransaction login) {
            return connections.findRecent(environmentId, connectionId).map(c -> start(environmentId, c, login))
                    .orElseThrow();
        }
    }

    private record World(ConnectionFixture c, Connection connection, RecordingStarter starter,
                         ConnectionIdentityProviders providers) implements AutoCloseable {
        static World open(String kind) {
            ConnectionFixture c = new ConnectionFixture(kind);
            Organization acme = c.organization("Acme");
            Connection saml = ConnectionServiceStoreTest.completeSaml(c, acme);
            c.connections.setEnabled(c.environment.id(), Optional.empty(), saml.id(), true);
            c.domains.create(c.environment.id(), new OrganizationRef.ById(acme.id()), "acme.test", Optional.empty(),
                    Optional.empty());
            RecordingStarter starter = new RecordingStarter(c.connectionRepository);
            return new World(c, c.connectionRepository.findById(c.environment.id(), saml.id()).orElseThrow(), starter,
                    new ConnectionIdentityProviders(c.router, c.connectionRepository,
                            Map.<ConnectionType, IdentityProviderStarter>of(ConnectionType.SAML, starter), Optional.empty()));
        }

        Connection routedByDomain() {
            LoginRoute route = c.router.route(c.environment.id(), new LoginSelectors(Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of("acme.test"), Optional.empty()));
            assertThat(route).isInstanceOf(LoginRoute.ToConnection.class);
            return ((LoginRoute.ToConnection) route).connection();
        }

        /** Another node disables the connection: a write this node's memory does not hear of. */
        void disabledByAnotherNode() {
            new JdbiConnectionRepository(new JdbiTransactions(c.f.database.jdbi()))
                    .update(connection.withEnabled(false, c.f.clock.instant()));
        }

        LoginTransaction login() {
            Instant now = c.f.clock.instant();
            AuthorizeRequest request = new AuthorizeRequest("skc_1", "https://app.test/cb", List.of("openid"),
                    Optional.of("st"), Optional.empty(), Optional.empty(), Set.of(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of("acme.test"), Optional.empty());
            return new LoginTransaction(c.f.ids.next(IdPrefix.LOGIN), c.environment.id(), request, LoginStep.AWAITING_IDP,
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(connection.id()), List.of(),
                    "browser-hash", 0, now, now, now.plus(Duration.ofMinutes(15)));
        }

        @Override
        public void close() {
            c.close();
        }
    }

    @EachDatabase
    void routedStartWhenTheRowChangesAfterRoutingThenStartsWithTheRoutersRow(String kind) {
        try (World w = World.open(kind)) {
            Connection routed = w.routedByDomain();
            w.disabledByAnotherNode();

            IdentityProviderRedirect redirect = w.providers.routedTo(routed)
                    .start(w.c.environment.id(), routed.id(), w.login());

            assertThat(redirect).isInstanceOf(IdentityProviderRedirect.Location.class);
            assertThat(w.starter.started).singleElement().isSameAs(routed);
            // Started by ID instead, the connection is read (nothing was kept in memory) and is now disabled.
            assertThat(w.providers.start(w.c.environment.id(), routed.id(), w.login()))
                    .isInstanceOfSatisfying(IdentityProviderRedirect.Unavailable.class,
                            u -> assertThat(u.errorCode()).isEqualTo("connection_not_active"));
            assertThat(w.starter.started).hasSize(1);
        }
    }

    @EachDatabase
    void routedStartWhenTheRoutedRowIsDisabledThenUnavailable(String kind) {
        try (World w = World.open(kind)) {
            Connection disabled = w.connection.withEnabled(false, w.c.f.clock.instant());

            IdentityProviderRedirect redirect = w.providers.routedTo(disabled)
                    .start(w.c.environment.id(), disabled.id(), w.login());

            assertThat(redirect).isInstanceOfSatisfying(IdentityProviderRedirect.Unavailable.class,
                    u -> assertThat(u.errorCode()).isEqualTo("connection_not_active"));
            assertThat(w.starter.started).isEmpty();
        }
    }

    @EachDatabase
    void routedStartForAnotherIdOrEnvironmentThenReadsThatConnection(String kind) {
        try (World w = World.open(kind)) {
            Connection routed = w.routedByDomain();

            IdentityProviderRedirect unknown = w.providers.routedTo(routed)
                    .start(w.c.environment.id(), "conn_unknown", w.login());
            IdentityProviderRedirect elsewhere = w.providers.routedTo(routed).start("env_other", routed.id(), w.login());

            assertThat(unknown).isInstanceOf(IdentityProviderRedirect.Unavailable.class);
            assertThat(elsewhere).isInstanceOf(IdentityProviderRedirect.Unavailable.class);
            assertThat(w.starter.started).isEmpty();
        }
    }
}
