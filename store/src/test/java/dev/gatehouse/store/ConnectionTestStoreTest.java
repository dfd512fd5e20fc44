package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.connection.ConnectionTest;
import dev.gatehouse.core.connection.ConnectionTestStatus;
import dev.gatehouse.core.connection.ConnectionTests;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.login.FederatedIdentity;
import dev.gatehouse.core.shared.DomainException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Connection test results (D-CT1) on H2 and PostgreSQL: pending, then one result, scoped by environment. */
class ConnectionTestStoreTest {

    private static FederatedIdentity identity() {
        return new FederatedIdentity("conn_1", Optional.of("org_1"), "SAML", "OKTA", false, "ada@acme.example",
                "ada@acme.example", true, Optional.of("Ada"), Optional.of("Lovelace"), Optional.empty(), Optional.empty(),
                Optional.empty(), Map.of("firstName", "Ada", "department", "x".repeat(5000)), Map.of());
    }

    @EachDatabase
    void aTestIsPendingThenTakesOneResultAndIsVisibleOnlyInItsEnvironment(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment alpha = f.environment("alpha");
            Environment beta = f.environment("beta");
            ConnectionTests tests = new ConnectionTests(new JdbiConnectionTestRepository(f.tx), f.ids, f.clock);

            String id = tests.started(alpha.id(), Optional.of("org_1"), "conn_1", "lgn_1");
            assertThat(id).startsWith("test_");
            ConnectionTest pending = tests.result(alpha.id(), "conn_1", id);
            assertThat(pending.status()).isEqualTo(ConnectionTestStatus.PENDING);
            assertThat(pending.profile()).isEmpty();

            assertThatThrownBy(() -> tests.result(beta.id(), "conn_1", id)).as("another environment")
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> tests.result(alpha.id(), "conn_2", id)).as("another connection")
                    .isInstanceOf(DomainException.NotFound.class);
            tests.succeeded(beta.id(), "lgn_1", identity());
            assertThat(tests.result(alpha.id(), "conn_1", id).status()).as("another environment's login")
                    .isEqualTo(ConnectionTestStatus.PENDING);

            f.clock.advance(Duration.ofSeconds(5));
            tests.succeeded(alpha.id(), "lgn_1", identity());
            ConnectionTest done = tests.result(alpha.id(), "conn_1", id);
            assertThat(done.status()).isEqualTo(ConnectionTestStatus.SUCCESS);
            assertThat(done.profile()).containsEntry("email", "ada@acme.example").containsEntry("given_name", "Ada")
                    .containsEntry("email_verified", "true").containsEntry("organization_id", "org_1");
            assertThat(done.rawAttributes()).containsEntry("firstName", "Ada");
            assertThat(done.rawAttributes().get("department")).as("oversized values are cut").hasSize(1024);
            assertThat(done.updateTime()).isEqualTo(done.createTime().plusSeconds(5));

            tests.failed(alpha.id(), "lgn_1", "invalid_saml_response", "late", "a second answer");
            assertThat(tests.result(alpha.id(), "conn_1", id).status()).as("the first result stays")
                    .isEqualTo(ConnectionTestStatus.SUCCESS);
        }
    }

    @EachDatabase
    void aFailedTestKeepsTheSeedCodeAndReasonUntilItExpires(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment alpha = f.environment("alpha");
            ConnectionTests tests = new ConnectionTests(new JdbiConnectionTestRepository(f.tx), f.ids, f.clock);
            String id = tests.started(alpha.id(), Optional.empty(), "conn_1", "lgn_2");
            tests.failed(alpha.id(), "lgn_2", "signature_validation_failed", "The response could not be verified",
                    "r".repeat(6000));
            ConnectionTest failed = tests.result(alpha.id(), "conn_1", id);
            assertThat(failed.status()).isEqualTo(ConnectionTestStatus.FAILURE);
            assertThat(failed.error()).contains("signature_validation_failed");
            assertThat(failed.errorDescription()).contains("The response could not be verified");
            assertThat(failed.errorDetails().orElseThrow()).hasSize(4096);
            assertThat(failed.organizationId()).isEmpty();

            f.clock.advance(ConnectionTests.RETENTION.plusSeconds(1));
            assertThatThrownBy(() -> tests.result(alpha.id(), "conn_1", id)).isInstanceOf(DomainException.NotFound.class);
            assertThat(tests.purgeExpired()).isEqualTo(1);
            assertThat(f.count("connection_tests")).isZero();
        }
    }
}
