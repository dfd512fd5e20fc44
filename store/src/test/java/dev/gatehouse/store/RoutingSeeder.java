package dev.gatehouse.store;

import dev.gatehouse.core.connection.AttributeMappings;
import dev.gatehouse.core.connection.ConnectionProvider;
import dev.gatehouse.core.connection.ConnectionType;
import dev.gatehouse.core.connection.IdpCertificates;
import dev.gatehouse.core.connection.SamlSettings;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.testing.TestCertificates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Inserts many organizations quickly, each with one enabled, completely configured SAML connection and one
 * ORGANIZATION_DOMAIN domain ({@code org<i>.<suffix>}), in JDBC batches of 1,000 inside one transaction per batch.
 * For routing tests at scale and {@link RoutingBench}; it writes rows directly (no events, no services).
 */
final class RoutingSeeder {
    static final int BATCH = 1000;

    /** What was inserted: the i-th organization, its connection and its domain. */
    record Seeded(List<String> organizationIds, List<String> connectionIds, List<String> domains) {}

    private RoutingSeeder() {}

    static Seeded seed(Jdbi jdbi, IdGenerator ids, String environmentId, int count, String suffix, Instant now) {
        SamlSettings empty = SamlSettings.empty();
        SamlSettings complete = new SamlSettings(Optional.empty(), Optional.of("https://idp.bench.test/entity"),
                Optional.of("https://idp.bench.test/sso"), Optional.empty(),
                List.of(IdpCertificates.describe("cert_10000000000000001", IdpCertificates.parse(TestCertificates.IDP_1).getFirst(), now)),
                empty.nameIdFormat(), empty.ssoRequestBinding(), empty.sloRequestBinding(), empty.signingOption(),
                false, false, false, false, false, false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        String settings = ConnectionSettingsJson.write(complete);
        String mapping = JsonColumns.write(AttributeMappings.defaults(ConnectionType.SAML, ConnectionProvider.OKTA));
        var time = Timestamps.bind(now);
        List<String> organizations = new ArrayList<>(count);
        List<String> connections = new ArrayList<>(count);
        List<String> domains = new ArrayList<>(count);
        for (int start = 0; start < count; start += BATCH) {
            int end = Math.min(count, start + BATCH);
            int first = start;
            jdbi.useTransaction(h -> {
                PreparedBatch orgs = h.prepareBatch("""
                        insert into organizations (id, environment_id, display_name, display_name_lower, region_code, metadata,
                            feature_sso, feature_dir_sync, create_time, update_time)
                        values (:id, :env, :name, :name, 'UNSPECIFIED', '{}', true, false, :now, :now)""");
                PreparedBatch conns = h.prepareBatch("""
                        insert into connections (id, environment_id, organization_id, connection_type, provider, status, enabled,
                            debug_enabled, attribute_mapping, settings, create_time, update_time)
                        values (:id, :env, :org, 'SAML', 'OKTA', 'COMPLETED', true, false, :mapping, :settings, :now, :now)""");
                PreparedBatch doms = h.prepareBatch("""
                        insert into domains (id, environment_id, organization_id, name, domain_type, verification_status,
                            create_time, update_time)
                        values (:id, :env, :org, :name, 'ORGANIZATION_DOMAIN', 'VERIFIED', :now, :now)""");
                for (int i = first; i < end; i++) {
                    String org = ids.next(IdPrefix.ORGANIZATION);
                    String conn = ids.next(IdPrefix.CONNECTION);
                    String domain = "org" + i + "." + suffix;
                    orgs.bind("id", org).bind("env", environmentId).bind("name", "bench org " + i).bind("now", time).add();
                    conns.bind("id", conn).bind("env", environmentId).bind("org", org).bind("mapping", mapping)
                            .bind("settings", settings).bind("now", time).add();
                    doms.bind("id", ids.next(IdPrefix.DOMAIN)).bind("env", environmentId).bind("org", org)
                            .bind("name", domain).bind("now", time).add();
                    organizations.add(org);
                    connections.add(conn);
                    domains.add(domain);
                }
                orgs.execute();
                conns.execute();
                doms.execute();
            });
        }
        return new Seeded(organizations, connections, domains);
    }
}
