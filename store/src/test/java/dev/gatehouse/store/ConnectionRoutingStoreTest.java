package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.connection.ConnectionLoginRouter;
import dev.gatehouse.core.connection.ConnectionPatch;
import dev.gatehouse.core.connection.ConnectionProvider;
import dev.gatehouse.core.connection.ConnectionType;
import dev.gatehouse.core.connection.DomainType;
import dev.gatehouse.core.connection.LoginRoute;
import dev.gatehouse.core.connection.LoginSelectors;
import dev.gatehouse.core.connection.NewConnection;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationRef;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Login routing over real storage: selector precedence, every refusal code, audit records, environments apart. */
class ConnectionRoutingStoreTest {
    /** The organizations and connections every routing case below works with. */
    static final class World implements AutoCloseable {
        final ConnectionFixture c;
        final String env;
        final Organization acme, beta, cold, drafty, pinned, fenced;
        final Connection a1, a2, b1, b2, c1, e1, f1;

        World(String kind) {
            c = new ConnectionFixture(kind);
            env = c.environment.id();
            acme = c.organization("Acme");
            a1 = active(acme);
            a2 = c.connections.create(env, acme.id(), new NewConnection(ConnectionType.OIDC, ConnectionProvider.OKTA));
            domain(acme, "acme.test", Optional.empty());
            c.domains.create(env, new OrganizationRef.ById(acme.id()), "allowed.test", Optional.of(DomainType.ALLOWED_EMAIL_DOMAIN), Optional.empty());

            beta = c.organization("Beta");
            b1 = active(beta);
            b2 = active(beta);
            domain(beta, "beta-one.test", Optional.of(b1.id()));
            domain(beta, "beta-two.test", Optional.empty());

            cold = c.organization("Cold");
            c1 = ConnectionServiceStoreTest.completeSaml(c, cold);
            domain(cold, "cold.test", Optional.empty());

            drafty = c.organization("Drafty");
            domain(drafty, "drafty.test", Optional.empty());

            pinned = c.organization("Pinned");
            e1 = ConnectionServiceStoreTest.completeSaml(c, pinned);
            active(pinned);
            domain(pinned, "e-pinned.test", Optional.of(e1.id()));

            fenced = c.organization("Fenced");
            f1 = active(fenced);
            domain(fenced, "f.test", Optional.of(f1.id()));
            domain(fenced, "f-two.test", Optional.empty());
        }

        Connection active(Organization organization) {
            Connection connection = ConnectionServiceStoreTest.completeSaml(c, organization);
            c.connections.setEnabled(env, Optional.empty(), connection.id(), true);
            return c.connections.get(env, Optional.empty(), connection.id());
        }

        void domain(Organization organization, String name, Optional<String> connectionId) {
            c.domains.create(env, new OrganizationRef.ById(organization.id()), name, Optional.empty(), connectionId);
        }

        LoginRoute route(String provider, String connectionId, String organizationId, String domain, String loginHint) {
            return route(env, provider, connectionId, organizationId, domain, loginHint);
        }

        LoginRoute route(String environmentId, String provider, String connectionId, String organizationId, String domain,
                         String loginHint) {
            return c.router.route(environmentId, new LoginSelectors(Optional.ofNullable(provider), Optional.ofNullable(connectionId),
                    Optional.ofNullable(organizationId), Optional.ofNullable(domain), Optional.ofNullable(loginHint)));
        }

        @Override
        public void close() {
            c.close();
        }
    }

    static LoginRoute to(Connection connection) {
        return new LoginRoute.ToConnection(connection);
    }

    static void assertRefused(LoginRoute route, String code) {
        assertThat(route).isInstanceOfSatisfying(LoginRoute.Refused.class, r -> {
            assertThat(r.errorCode()).isEqualTo(code);
            assertThat(r.description()).isNotBlank();
        });
    }

    @EachDatabase
    void precedenceWhenSeveralSelectorsThenProviderThenConnectionThenOrganizationThenDomainThenLoginHint(String kind) {
        try (World w = new World(kind)) {
            assertThat(w.route("GitHub", w.a1.id(), w.beta.id(), "beta-one.test", "u@beta-one.test"))
                    .isEqualTo(new LoginRoute.ToSocialProvider("github"));
            assertThat(w.route(null, w.a1.id(), w.beta.id(), "beta-one.test", "u@beta-two.test")).isEqualTo(to(w.a1));
            assertThat(w.route(null, null, w.acme.id(), "beta-one.test", "u@beta-one.test")).isEqualTo(to(w.a1));
            assertThat(w.route(null, null, null, "acme.test", "u@beta-one.test")).isEqualTo(to(w.a1));
            assertThat(w.route(null, null, null, null, "Jane@Beta-One.test")).isEqualTo(to(w.b1));
            for (String provider : ConnectionLoginRouter.SOCIAL_PROVIDERS) {
                assertThat(w.route(provider, null, null, null, null)).isEqualTo(new LoginRoute.ToSocialProvider(provider));
            }
        }
    }

    @EachDatabase
    void selectorsWhenInvalidThenEachSeedCodeAndAnAuditRecordEach(String kind) {
        try (World w = new World(kind)) {
            Instant since = Instant.EPOCH;
            assertRefused(w.route("facebook", w.a1.id(), null, null, null), "invalid_connection_selector");
            assertRefused(w.route(null, "conn_404", w.acme.id(), null, null), "invalid_connection_id");
            assertRefused(w.route(null, w.acme.id(), null, null, null), "invalid_connection_id");
            assertRefused(w.route(null, w.a2.id(), null, null, null), "connection_not_active");
            assertRefused(w.route(null, w.c1.id(), null, null, null), "connection_not_active");
            assertRefused(w.route(null, null, "org_404", "acme.test", null), "invalid_organization_id");
            assertRefused(w.route(null, null, "not-an-id", null, null), "invalid_organization_id");
            assertRefused(w.route(null, null, w.cold.id(), null, null), "no_active_connections");
            assertRefused(w.route(null, null, w.drafty.id(), null, null), "no_configured_connections");
            assertRefused(w.route(null, null, null, "nowhere.test", null), "domain_not_found");
            assertRefused(w.route(null, null, null, "allowed.test", null), "domain_not_found");
            assertRefused(w.route(null, null, null, "not a domain", null), "domain_not_found");
            assertRefused(w.route(null, null, null, "cold.test", null), "no_active_connections");
            assertRefused(w.route(null, null, null, "drafty.test", null), "no_configured_connections");
            assertRefused(w.route(null, null, null, "e-pinned.test", null), "connection_not_active");
            assertRefused(w.route(null, w.b1.id(), null, null, "u@beta-two.test"), "invalid_user_domain");
            assertRefused(w.route(null, null, w.fenced.id(), null, "u@f-two.test"), "invalid_user_domain");
            assertRefused(w.route(null, null, null, "f-two.test", null), "invalid_user_domain");

            List<AuditRecord> audit = w.c.f.audit.recent(w.env, Optional.of(ConnectionLoginRouter.AUDIT_TYPE), since, 100);
            assertThat(audit).hasSize(18).allSatisfy(r -> {
                assertThat(r.outcome()).isEqualTo(AuditRecord.Outcome.FAILURE);
                assertThat(r.reason()).isPresent();
                assertThat(r.attributes()).containsKeys("error", "selector");
            });
            assertThat(audit).extracting(r -> r.attributes().get("error")).contains("invalid_connection_selector",
                    "invalid_connection_id", "connection_not_active", "invalid_organization_id", "no_active_connections",
                    "no_configured_connections", "domain_not_found", "invalid_user_domain");
        }
    }

    @EachDatabase
    void routesWhenValidThenTheRightConnection(String kind) {
        try (World w = new World(kind)) {
            assertThat(w.route(null, w.b1.id(), null, null, null)).isEqualTo(to(w.b1));
            assertThat(w.route(null, w.b1.id(), null, null, "u@beta-one.test")).isEqualTo(to(w.b1));
            assertThat(w.route(null, w.b2.id(), null, null, "u@anything.test")).as("unrestricted").isEqualTo(to(w.b2));
            assertThat(w.route(null, null, w.acme.id(), null, null)).isEqualTo(to(w.a1));
            assertThat(w.route(null, null, w.acme.id(), null, "u@beta-one.test")).as("R-SSO-15").isEqualTo(to(w.a1));
            assertThat(w.route(null, null, w.beta.id(), null, null)).as("first active open to all domains").isEqualTo(to(w.b2));
            assertThat(w.route(null, null, w.beta.id(), null, "u@beta-one.test")).as("the hint's assigned connection").isEqualTo(to(w.b1));
            assertThat(w.route(null, null, w.fenced.id(), null, null)).isEqualTo(to(w.f1));
            assertThat(w.route(null, null, null, "ACME.TEST", null)).isEqualTo(to(w.a1));
            assertThat(w.route(null, null, null, "beta-one.test", null)).isEqualTo(to(w.b1));
            assertThat(w.route(null, null, null, "beta-two.test", null)).isEqualTo(to(w.b2));
            assertThat(w.route(null, null, null, "f.test", null)).isEqualTo(to(w.f1));
        }
    }

    @EachDatabase
    void loginHintWhenItsDomainRoutesNowhereThenHostedLoginWithoutAudit(String kind) {
        try (World w = new World(kind)) {
            Instant since = Instant.EPOCH;
            assertThat(w.route(null, null, null, null, "jane@acme.test")).isEqualTo(to(w.a1));
            for (String hint : List.of("jane@nowhere.test", "jane@cold.test", "jane@drafty.test", "jane@e-pinned.test",
                    "jane@allowed.test", "jane@gmail.com", "jane", "  ")) {
                assertThat(w.route(null, null, null, null, hint)).as(hint).isEqualTo(new LoginRoute.ToHostedLogin());
            }
            assertThat(w.route(null, null, null, null, null)).isEqualTo(new LoginRoute.ToHostedLogin());
            assertThat(w.route(" ", "", "", "", "")).isEqualTo(new LoginRoute.ToHostedLogin());
            assertThat(w.c.f.audit.recent(w.env, Optional.of(ConnectionLoginRouter.AUDIT_TYPE), since, 10)).isEmpty();
        }
    }

    @EachDatabase
    void otherEnvironmentWhenSelectingThisEnvironmentsResourcesThenNothingMatches(String kind) {
        try (World w = new World(kind)) {
            Environment other = w.c.f.environment("other");
            assertRefused(w.route(other.id(), null, w.a1.id(), null, null, null), "invalid_connection_id");
            assertRefused(w.route(other.id(), null, null, w.acme.id(), null, null), "invalid_organization_id");
            assertRefused(w.route(other.id(), null, null, null, "acme.test", null), "domain_not_found");
            assertThat(w.route(other.id(), null, null, null, null, "u@acme.test")).isEqualTo(new LoginRoute.ToHostedLogin());
        }
    }

    @EachDatabase
    void routingWhenConnectionDisabledOrDomainReassignedThenFollowsAtOnce(String kind) {
        try (World w = new World(kind)) {
            w.c.connections.setEnabled(w.env, Optional.empty(), w.a1.id(), false);
            assertRefused(w.route(null, null, null, "acme.test", null), "no_active_connections");
            Connection oidc = w.c.connections.update(w.env, Optional.empty(), w.a2.id(), ConnectionPatch.NONE.withOidc(
                    dev.gatehouse.core.connection.OidcPatch.builder().issuer("https://idp.example.test").clientId("c")
                            .clientSecret("s").build()));
            w.c.connections.setEnabled(w.env, Optional.empty(), oidc.id(), true);
            assertThat(w.route(null, null, null, "acme.test", null)).isInstanceOfSatisfying(LoginRoute.ToConnection.class,
                    r -> assertThat(r.connection().id()).isEqualTo(w.a2.id()));
        }
    }
}
