package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationRef;
import dev.gatehouse.core.shared.DomainException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The outbox: an organization change and its event commit together or not at all. */
class OutboxStoreTest {
    record Row(long seq, String id, String type, String organizationId, String data) {}

    static List<Row> events(StoreFixture f, String environmentId) {
        return f.database.jdbi().withHandle(h -> h.createQuery(
                        "select seq, id, type, organization_id, data from events where environment_id = :env order by seq")
                .bind("env", environmentId)
                .map((rs, ctx) -> new Row(rs.getLong("seq"), rs.getString("id"), rs.getString("type"),
                        rs.getString("organization_id"), rs.getString("data")))
                .list());
    }

    @EachDatabase
    void createUpdateDeleteWhenCommittedThenOneEventEachInOrder(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");

            Organization created = f.organizations.create(env.id(), OrganizationStoreTest.named("Acme \"Q\"", "acme-1"));
            f.organizations.update(env.id(), new OrganizationRef.ById(created.id()),
                    OrganizationStoreTest.patch(Optional.of("Acme 2"), Optional.empty(), Optional.of(Map.of("kind", "v")),
                            Optional.empty(), Optional.empty()));
            f.organizations.updateFeatures(env.id(), created.id(), Map.of("sso", true));
            f.organizations.delete(env.id(), new OrganizationRef.ById(created.id()));

            List<Row> rows = events(f, env.id());
            assertThat(rows).extracting(Row::type).containsExactly(
                    "organization.created", "organization.updated", "organization.updated", "organization.deleted");
            assertThat(rows).extracting(Row::organizationId).containsOnly(created.id());
            assertThat(rows).extracting(Row::id).allMatch(id -> id.matches("evt_\\d{17}")).doesNotHaveDuplicates();
            assertThat(rows.get(0).data()).startsWith("{\"id\":\"" + created.id() + "\",\"display_name\":\"Acme \\\"Q\\\"\"");
            assertThat(rows.get(1).data()).contains("\"display_name\":\"Acme 2\"", "\"metadata\":{\"kind\":\"v\"}");
            assertThat(rows.get(2).data()).contains("\"sso\":true");
            assertThat(rows.get(3).data()).isEqualTo("{\"id\":\"" + created.id() + "\",\"external_id\":\"acme-1\"}");
        }
    }

    @EachDatabase
    void createWhenDuplicateExternalIdThenNeitherOrganizationNorEventWritten(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            f.organizations.create(env.id(), OrganizationStoreTest.named("First", "dup"));

            assertThatThrownBy(() -> f.organizations.create(env.id(), OrganizationStoreTest.named("Second", "dup")))
                    .isInstanceOf(DomainException.AlreadyExists.class);

            assertThat(f.count("organizations", env.id())).isEqualTo(1);
            assertThat(events(f, env.id())).extracting(Row::type).containsExactly("organization.created");
        }
    }

    @EachDatabase
    void updateWhenExternalIdTakenThenNoEventWritten(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            f.organizations.create(env.id(), OrganizationStoreTest.named("First", "one"));
            Organization second = f.organizations.create(env.id(), OrganizationStoreTest.named("Second", "two"));

            assertThatThrownBy(() -> f.organizations.update(env.id(), new OrganizationRef.ById(second.id()),
                    OrganizationStoreTest.patch(Optional.empty(), Optional.of("one"), Optional.empty(), Optional.empty(),
                            Optional.empty())))
                    .isInstanceOf(DomainException.AlreadyExists.class);

            assertThat(events(f, env.id())).extracting(Row::type)
                    .containsExactly("organization.created", "organization.created");
        }
    }

    @EachDatabase
    void deleteWhenNotFoundThenNoEventWritten(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");

            assertThatThrownBy(() -> f.organizations.delete(env.id(), new OrganizationRef.ById("org_1")))
                    .isInstanceOf(DomainException.NotFound.class);

            assertThat(events(f, env.id())).isEmpty();
        }
    }

    @EachDatabase
    void appendWhenSeveralInOneTransactionThenWrittenAtCommitInAppendOrderWithMatchingDeliveries(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Environment other = f.environment("beta");
            String all = WebhookDeliveriesStoreTest.endpoint(f, env.id());
            String updatedOnly = WebhookDeliveriesStoreTest.endpoint(f, env.id(), "organization.updated");
            WebhookDeliveriesStoreTest.endpoint(f, other.id());
            long before = f.count("webhook_deliveries");
            java.time.Instant now = f.clock.instant();

            f.tx.inTransaction(() -> {
                for (String type : List.of("organization.created", "organization.updated", "organization.deleted")) {
                    f.outbox.append(new dev.gatehouse.core.event.Event(f.ids.next(dev.gatehouse.core.shared.IdPrefix.EVENT),
                            "Organization", env.id(), Optional.of("org_1"), now, type, "{\"t\":\"" + type + "\"}"));
                }
                return null;
            });

            List<Row> rows = events(f, env.id()).stream().filter(r -> r.type().startsWith("organization.")).toList();
            assertThat(rows).extracting(Row::type)
                    .containsExactly("organization.created", "organization.updated", "organization.deleted");
            assertThat(rows.get(1).data()).isEqualTo("{\"t\":\"organization.updated\"}");
            List<String> deliveries = f.database.jdbi().withHandle(h -> h.createQuery("""
                            select d.endpoint_id, e.type, d.order_key, d.environment_id from webhook_deliveries d
                            join events e on e.seq = d.event_seq order by d.event_seq, d.endpoint_id""")
                    .map((rs, ctx) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4))
                    .list());
            assertThat(deliveries).hasSize((int) before + 4).containsSubsequence(
                    all + " organization.created org_1 " + env.id(),
                    all + " organization.updated org_1 " + env.id(),
                    all + " organization.deleted org_1 " + env.id());
            assertThat(deliveries).contains(updatedOnly + " organization.updated org_1 " + env.id())
                    .doesNotContain(updatedOnly + " organization.created org_1 " + env.id(),
                            updatedOnly + " organization.deleted org_1 " + env.id());
            assertThat(deliveries).filteredOn(d -> d.endsWith(other.id())).isEmpty();
        }
    }

    @EachDatabase
    void appendWhenTransactionRollsBackThenNoEventAndNoDelivery(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            WebhookDeliveriesStoreTest.endpoint(f, env.id());
            long before = f.count("webhook_deliveries");

            assertThatThrownBy(() -> f.tx.inTransaction(() -> {
                f.outbox.append(new dev.gatehouse.core.event.Event(f.ids.next(dev.gatehouse.core.shared.IdPrefix.EVENT),
                        "Organization", env.id(), Optional.empty(), f.clock.instant(), "organization.created", "{}"));
                throw new IllegalStateException("the change failed");
            })).isInstanceOf(IllegalStateException.class);

            assertThat(events(f, env.id())).extracting(Row::type).doesNotContain("organization.created");
            assertThat(f.count("webhook_deliveries")).isEqualTo(before);
        }
    }
}
