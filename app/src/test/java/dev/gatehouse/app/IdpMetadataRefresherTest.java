package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.connection.ConnectionPatch;
import dev.gatehouse.core.connection.ConnectionProvider;
import dev.gatehouse.core.connection.ConnectionType;
import dev.gatehouse.core.connection.IdpCertificate;
import dev.gatehouse.core.connection.NewConnection;
import dev.gatehouse.core.connection.SamlPatch;
import dev.gatehouse.core.connection.SamlSettings;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.organization.NewOrganization;
import dev.gatehouse.core.organization.RegionCode;
import dev.gatehouse.core.testing.MutableClock;
import dev.gatehouse.core.testing.TestCertificates;
import dev.gatehouse.core.testing.TestIdpMetadata;
import dev.gatehouse.store.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The scheduled refresh of IdP metadata URLs through the whole wiring (real fetcher, parser and database) with a
 * clock the test moves and a local HTTP server as the IdP: a certificate rollover published in the metadata is
 * picked up once the refresh interval has passed, and an unreachable IdP keeps the previous certificates.
 */
class IdpMetadataRefresherTest {
    static final String ENTITY = "https://idp.example.test/entity";

    static String metadata(String... pems) {
        StringBuilder keys = new StringBuilder();
        for (String pem : pems) {
            keys.append(TestIdpMetadata.keyDescriptor("signing", pem));
        }
        return TestIdpMetadata.idp(ENTITY, keys.toString());
    }

    @Test
    void refresherWhenIdpRollsItsCertificateThenPickedUpOnScheduleAndKeptWhenTheIdpIsDown() throws IOException {
        Path data = Files.createTempDirectory("gatehouse-refresher-test-");
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        try (TestDatabases.TestDatabase database = TestDatabases.preferred(); IdpMetadataServer idp = new IdpMetadataServer()) {
            Map<String, String> env = new HashMap<>();
            env.put("GATEHOUSE_PUBLIC_URL", "http://127.0.0.1:1");
            env.put("GATEHOUSE_DATA_DIR", data.toString());
            env.put("GATEHOUSE_DATABASE_URL", database.jdbcUrl());
            env.put("GATEHOUSE_DATABASE_USER", database.user());
            env.put("GATEHOUSE_DATABASE_PASSWORD", database.password());
            env.put("GATEHOUSE_MASTER_KEY", TestGatehouse.MASTER_KEY);
            env.put("GATEHOUSE_SSO_ALLOW_PRIVATE_METADATA", "true");
            env.put("GATEHOUSE_SSO_METADATA_REFRESH_MINUTES", "60");
            try (Wiring wiring = Wiring.open(GatehouseConfig.fromEnvironment(env), clock)) {
                Environment environment = Bootstrap.run(wiring);
                String org = wiring.organizations.create(environment.id(), new NewOrganization("Acme", RegionCode.UNSPECIFIED,
                        Optional.empty(), Map.of(), Optional.empty(), Optional.empty())).id();
                String url = idp.serve("/app/metadata", metadata(TestCertificates.IDP_1));
                String id = wiring.connections.create(environment.id(), org,
                        new NewConnection(ConnectionType.SAML, ConnectionProvider.OKTA)).id();
                wiring.connections.update(environment.id(), Optional.empty(), id,
                        ConnectionPatch.NONE.withSaml(SamlPatch.builder().idpMetadataUrl(url).build()));
                List<IdpCertificate> initial = certificates(wiring, environment, id);
                assertThat(initial).hasSize(1);

                idp.serve("/app/metadata", metadata(TestCertificates.IDP_1, TestCertificates.IDP_2));
                int requests = idp.requests.get();
                clock.advance(Duration.ofMinutes(59));
                assertThat(wiring.idpMetadataRefresher.runOnce()).as("not due yet").isZero();
                assertThat(idp.requests.get()).isEqualTo(requests);

                clock.advance(Duration.ofMinutes(2));
                assertThat(wiring.idpMetadataRefresher.runOnce()).isEqualTo(1);
                List<IdpCertificate> rolled = certificates(wiring, environment, id);
                assertThat(rolled).extracting(IdpCertificate::subject).containsExactly(
                        "CN=Test IdP 1,O=Gatehouse Tests", "CN=Test IdP 2,O=Gatehouse Tests");
                assertThat(rolled.getFirst()).isEqualTo(initial.getFirst());

                idp.remove("/app/metadata");
                clock.advance(Duration.ofMinutes(61));
                assertThat(wiring.idpMetadataRefresher.runOnce()).isZero();
                SamlSettings down = saml(wiring, environment, id);
                assertThat(down.idpCertificates()).isEqualTo(rolled);
                assertThat(down.metadataError()).hasValueSatisfying(e -> assertThat(e).contains("HTTP 404"));
                assertThat(wiring.connections.get(environment.id(), Optional.empty(), id).status().name()).isEqualTo("COMPLETED");
            }
        } finally {
            try (var paths = Files.walk(data)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static SamlSettings saml(Wiring wiring, Environment environment, String id) {
        Connection connection = wiring.connections.get(environment.id(), Optional.empty(), id);
        return connection.saml().orElseThrow();
    }

    private static List<IdpCertificate> certificates(Wiring wiring, Environment environment, String id) {
        return saml(wiring, environment, id).idpCertificates();
    }
}
