package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.organization.NewOrganization;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationFeature;
import dev.gatehouse.core.organization.OrganizationPatch;
import dev.gatehouse.core.organization.OrganizationRef;
import dev.gatehouse.core.organization.RegionCode;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.FieldViolation;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Organizations through the real OrganizationService and JdbiOrganizationRepository, on each database. */
class OrganizationStoreTest {
    private static final Map<String, String> METADATA = Map.of("tier", "gold", "owner", "alice");

    static NewOrganization acme(Optional<String> externalId) {
        return new NewOrganization("  Acme Corp  ", RegionCode.EU, externalId, METADATA, Optional.of("acme"),
                Optional.of("https://acme.example.com/logo.png"));
    }

    static NewOrganization named(String displayName) {
        return new NewOrganization(displayName, RegionCode.US, Optional.empty(), Map.of(), Optional.empty(), Optional.empty());
    }

    static NewOrganization named(String displayName, String externalId) {
        return new NewOrganization(displayName, RegionCode.US, Optional.of(externalId), Map.of(), Optional.empty(),
                Optional.empty());
    }

    static OrganizationPatch patch(Optional<String> displayName, Optional<String> externalId,
                                   Optional<Map<String, String>> metadata, Optional<String> slug, Optional<String> logoUrl) {
        return new OrganizationPatch(displayName, externalId, metadata, slug, logoUrl);
    }

    @EachDatabase
    void createWhenValidThenStoredAndReadableByIdAndByExternalId(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");

            Organization created = f.organizations.create(env.id(), acme(Optional.of("acme-1")));

            assertThat(created.id()).matches("org_\\d{17}");
            assertThat(created.environmentId()).isEqualTo(env.id());
            assertThat(created.displayName()).isEqualTo("Acme Corp");
            assertThat(created.regionCode()).isEqualTo(RegionCode.EU);
            assertThat(created.externalId()).contains("acme-1");
            assertThat(created.metadata()).isEqualTo(METADATA);
            assertThat(created.features()).containsOnlyKeys(OrganizationFeature.values()).doesNotContainValue(true);
            assertThat(created.slug()).contains("acme");
            assertThat(created.logoUrl()).contains("https://acme.example.com/logo.png");
            assertThat(created.maxAllowedUsers()).isEmpty();
            assertThat(created.createTime()).isEqualTo(StoreFixture.START.truncatedTo(ChronoUnit.MICROS));
            assertThat(created.updateTime()).isEqualTo(created.createTime());

            assertThat(f.organizations.get(env.id(), new OrganizationRef.ById(created.id()))).isEqualTo(created);
            assertThat(f.organizations.get(env.id(), new OrganizationRef.ByExternalId("acme-1"))).isEqualTo(created);
            assertThat(f.count("organizations", env.id())).isEqualTo(1);
        }
    }

    @EachDatabase
    void createWhenOptionalFieldsAbsentOrLogoEmptyThenStoredAsAbsent(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");

            Organization created = f.organizations.create(env.id(), new NewOrganization("Bare", RegionCode.UNSPECIFIED,
                    Optional.empty(), Map.of(), Optional.empty(), Optional.of("")));

            Organization read = f.organizations.get(env.id(), new OrganizationRef.ById(created.id()));
            assertThat(read).isEqualTo(created);
            assertThat(read.externalId()).isEmpty();
            assertThat(read.slug()).isEmpty();
            assertThat(read.logoUrl()).isEmpty();
            assertThat(read.metadata()).isEmpty();
            assertThat(read.regionCode()).isEqualTo(RegionCode.UNSPECIFIED);
        }
    }

    @EachDatabase
    void createWhenEveryFieldAtItsMaximumThenStoredAndReadBackUnchanged(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Map<String, String> metadata = new LinkedHashMap<>();
            for (int i = 0; i < 10; i++) {
                // 25-character keys and 256-character values, with characters that JSON escapes or that are not ASCII.
                metadata.put(String.format("key%02d", i) + "k".repeat(20), ("vü\"\\").repeat(64));
            }
            String label = "a" + "b".repeat(61) + "c";
            String slug = label + "." + label + "." + label + "." + "d".repeat(61);
            String logoUrl = "https://cdn.example.com/" + "l".repeat(1024 - "https://cdn.example.com/".length());

            Organization created = f.organizations.create(env.id(), new NewOrganization("N".repeat(200), RegionCode.US,
                    Optional.of("E".repeat(255)), metadata, Optional.of(slug), Optional.of(logoUrl)));

            assertThat(slug).hasSize(253);
            assertThat(metadata).hasSize(10);
            assertThat(f.organizations.get(env.id(), new OrganizationRef.ById(created.id()))).isEqualTo(created);
        }
    }

    @EachDatabase
    void createWhenShortestAllowedMetadataThenStored(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");

            Organization created = f.organizations.create(env.id(), new NewOrganization("N", RegionCode.US,
                    Optional.of("e"), Map.of("abc", "v"), Optional.of("a"), Optional.empty()));

            assertThat(f.organizations.get(env.id(), new OrganizationRef.ById(created.id())).metadata())
                    .isEqualTo(Map.of("abc", "v"));
        }
    }

    @EachDatabase
    void createWhenExternalIdDuplicateInEnvironmentThenAlreadyExistsAndNothingWritten(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Organization first = f.organizations.create(env.id(), acme(Optional.of("dup-1")));

            assertThatThrownBy(() -> f.organizations.create(env.id(), named("Other", "dup-1")))
                    .isInstanceOfSatisfying(DomainException.AlreadyExists.class,
                            e -> assertThat(e.field()).isEqualTo("external_id"));

            assertThat(f.count("organizations")).isEqualTo(1);
            assertThat(f.organizations.get(env.id(), new OrganizationRef.ByExternalId("dup-1"))).isEqualTo(first);
        }
    }

    @EachDatabase
    void createWhenSameExternalIdInTwoEnvironmentsThenBothStored(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment alpha = f.environment("alpha");
            Environment beta = f.environment("beta");

            Organization inAlpha = f.organizations.create(alpha.id(), acme(Optional.of("shared-ext")));
            Organization inBeta = f.organizations.create(beta.id(), named("Beta Org", "shared-ext"));

            assertThat(f.organizations.get(alpha.id(), new OrganizationRef.ByExternalId("shared-ext"))).isEqualTo(inAlpha);
            assertThat(f.organizations.get(beta.id(), new OrganizationRef.ByExternalId("shared-ext"))).isEqualTo(inBeta);
            assertThat(f.count("organizations")).isEqualTo(2);
        }
    }

    @EachDatabase
    void createWhenSeveralWithoutExternalIdThenAllStored(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");

            for (int i = 0; i < 3; i++) {
                f.organizations.create(env.id(), named("No external " + i));
            }

            assertThat(f.count("organizations", env.id())).isEqualTo(3);
        }
    }

    @EachDatabase
    void updateWhenFieldsAbsentThenStoredValuesKept(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Organization original = f.organizations.create(env.id(), acme(Optional.of("acme-1")));
            f.clock.advance(Duration.ofMinutes(5));

            Organization updated = f.organizations.update(env.id(), new OrganizationRef.ById(original.id()),
                    patch(Optional.of("  Acme Renamed "), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));

            assertThat(updated.displayName()).isEqualTo("Acme Renamed");
            assertThat(updated.externalId()).isEqualTo(original.externalId());
            assertThat(updated.metadata()).isEqualTo(original.metadata());
            assertThat(updated.slug()).isEqualTo(original.slug());
            assertThat(updated.logoUrl()).isEqualTo(original.logoUrl());
            assertThat(updated.regionCode()).isEqualTo(original.regionCode());
            assertThat(updated.features()).isEqualTo(original.features());
            assertThat(updated.createTime()).isEqualTo(original.createTime());
            assertThat(updated.updateTime()).isEqualTo(original.createTime().plus(Duration.ofMinutes(5)));
            assertThat(f.organizations.get(env.id(), new OrganizationRef.ById(original.id()))).isEqualTo(updated);
        }
    }

    @EachDatabase
    void updateWhenPatchEmptyThenOnlyUpdateTimeChanges(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Organization original = f.organizations.create(env.id(), acme(Optional.of("acme-1")));
            f.clock.advance(Duration.ofSeconds(1));

            Organization updated = f.organizations.update(env.id(), new OrganizationRef.ById(original.id()),
                    OrganizationPatch.empty());

            Organization read = f.organizations.get(env.id(), new OrganizationRef.ById(original.id()));
            assertThat(read).isEqualTo(updated);
            assertThat(read).usingRecursiveComparison().ignoringFields("updateTime").isEqualTo(original);
            assertThat(read.updateTime()).isAfter(original.updateTime());
        }
    }

    @EachDatabase
    void updateWhenEmptyStringsThenExternalIdSlugAndLogoUrlCleared(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Organization original = f.organizations.create(env.id(), acme(Optional.of("acme-1")));

            f.organizations.update(env.id(), new OrganizationRef.ById(original.id()),
                    patch(Optional.empty(), Optional.of(""), Optional.empty(), Optional.of(""), Optional.of("")));

            Organization read = f.organizations.get(env.id(), new OrganizationRef.ById(original.id()));
            assertThat(read.externalId()).isEmpty();
            assertThat(read.slug()).isEmpty();
            assertThat(read.logoUrl()).isEmpty();
            assertThat(read.displayName()).isEqualTo("Acme Corp");
            assertThat(read.metadata()).isEqualTo(METADATA);
            long clearedRows = f.database.jdbi().withHandle(h -> h.createQuery(
                            "select count(*) from organizations where id = :id"
                                    + " and external_id is null and slug is null and logo_url is null")
                    .bind("id", original.id()).mapTo(Long.class).one());
            assertThat(clearedRows).isEqualTo(1);
            assertThatThrownBy(() -> f.organizations.get(env.id(), new OrganizationRef.ByExternalId("acme-1")))
                    .isInstanceOf(DomainException.NotFound.class);
        }
    }

    @EachDatabase
    void updateWhenExternalIdClearedThenItCanBeReusedByAnotherOrganization(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Organization original = f.organizations.create(env.id(), acme(Optional.of("acme-1")));
            f.organizations.update(env.id(), new OrganizationRef.ById(original.id()),
                    patch(Optional.empty(), Optional.of(""), Optional.empty(), Optional.empty(), Optional.empty()));

            Organization reuser = f.organizations.create(env.id(), named("Reuser", "acme-1"));

            assertThat(f.organizations.get(env.id(), new OrganizationRef.ByExternalId("acme-1"))).isEqualTo(reuser);
        }
    }

    @EachDatabase
    void updateWhenMetadataPresentThenWholeMapReplaced(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Organization original = f.organizations.create(env.id(), acme(Optional.empty()));
            OrganizationRef ref = new OrganizationRef.ById(original.id());

            f.organizations.update(env.id(), ref, patch(Optional.empty(), Optional.empty(),
                    Optional.of(Map.of("region", "north")), Optional.empty(), Optional.empty()));
            assertThat(f.organizations.get(env.id(), ref).metadata()).isEqualTo(Map.of("region", "north"));

            f.organizations.update(env.id(), ref, patch(Optional.empty(), Optional.empty(),
                    Optional.of(Map.of()), Optional.empty(), Optional.empty()));
            assertThat(f.organizations.get(env.id(), ref).metadata()).isEmpty();
        }
    }

    @EachDatabase
    void updateWhenAddressedByExternalIdThenThatOrganizationUpdated(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Organization target = f.organizations.create(env.id(), acme(Optional.of("acme-1")));
            Organization bystander = f.organizations.create(env.id(), named("Bystander", "other"));

            f.organizations.update(env.id(), new OrganizationRef.ByExternalId("acme-1"),
                    patch(Optional.empty(), Optional.of("acme-2"), Optional.empty(), Optional.of("acme-two"), Optional.empty()));

            Organization read = f.organizations.get(env.id(), new OrganizationRef.ById(target.id()));
            assertThat(read.externalId()).contains("acme-2");
            assertThat(read.slug()).contains("acme-two");
            assertThat(f.organizations.get(env.id(), new OrganizationRef.ById(bystander.id()))).isEqualTo(bystander);
        }
    }

    @EachDatabase
    void updateWhenExternalIdTakenByAnotherOrganizationThenAlreadyExistsAndUnchanged(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Organization first = f.organizations.create(env.id(), acme(Optional.of("taken")));
            Organization second = f.organizations.create(env.id(), named("Second", "mine"));
            f.clock.advance(Duration.ofSeconds(1));

            assertThatThrownBy(() -> f.organizations.update(env.id(), new OrganizationRef.ById(second.id()),
                    patch(Optional.of("Renamed"), Optional.of("taken"), Optional.empty(), Optional.empty(), Optional.empty())))
                    .isInstanceOfSatisfying(DomainException.AlreadyExists.class,
                            e -> assertThat(e.field()).isEqualTo("external_id"));

            assertThat(f.organizations.get(env.id(), new OrganizationRef.ById(second.id()))).isEqualTo(second);
            assertThat(f.organizations.get(env.id(), new OrganizationRef.ById(first.id()))).isEqualTo(first);
        }
    }

    @EachDatabase
    void updateWhenUnknownOrganizationThenNotFoundAndNothingWritten(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");

            assertThatThrownBy(() -> f.organizations.update(env.id(), new OrganizationRef.ById("org_00000000000000001"),
                    OrganizationPatch.empty())).isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> f.organizations.update(env.id(), new OrganizationRef.ByExternalId("nobody"),
                    OrganizationPatch.empty())).isInstanceOf(DomainException.NotFound.class);
            assertThat(f.count("organizations")).isZero();
        }
    }

    @EachDatabase
    void updateWhenPatchInvalidThenInvalidArgumentAndUnchanged(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Organization original = f.organizations.create(env.id(), acme(Optional.of("acme-1")));
            Map<String, String> tooMany = new LinkedHashMap<>();
            for (int i = 0; i < 11; i++) {
                tooMany.put("key" + i, "value");
            }

            assertThatThrownBy(() -> f.organizations.update(env.id(), new OrganizationRef.ById(original.id()),
                    patch(Optional.of(" "), Optional.of("x".repeat(256)), Optional.of(tooMany), Optional.of("Not A Slug"),
                            Optional.of("javascript:alert(1)"))))
                    .isInstanceOfSatisfying(DomainException.InvalidArgument.class, e -> assertThat(e.violations())
                            .extracting(FieldViolation::field)
                            .containsExactly("organization.display_name", "organization.external_id",
                                    "organization.metadata", "organization.slug", "organization.logo_url"));

            assertThat(f.organizations.get(env.id(), new OrganizationRef.ById(original.id()))).isEqualTo(original);
        }
    }

    @EachDatabase
    void updateFeaturesWhenSomeNamedThenOthersKept(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Organization original = f.organizations.create(env.id(), acme(Optional.empty()));
            OrganizationRef ref = new OrganizationRef.ById(original.id());

            f.organizations.updateFeatures(env.id(), original.id(), Map.of("sso", true));
            assertThat(f.organizations.get(env.id(), ref).features())
                    .containsEntry(OrganizationFeature.SSO, true).containsEntry(OrganizationFeature.DIRECTORY_SYNC, false);

            f.organizations.updateFeatures(env.id(), original.id(), Map.of("directory_sync", true));
            assertThat(f.organizations.get(env.id(), ref).features())
                    .containsEntry(OrganizationFeature.SSO, true).containsEntry(OrganizationFeature.DIRECTORY_SYNC, true);

            Organization returned = f.organizations.updateFeatures(env.id(), original.id(), Map.of("SSO", false));
            Organization read = f.organizations.get(env.id(), ref);
            assertThat(read).isEqualTo(returned);
            assertThat(read.features())
                    .containsEntry(OrganizationFeature.SSO, false).containsEntry(OrganizationFeature.DIRECTORY_SYNC, true);
            assertThat(read.metadata()).isEqualTo(METADATA);
        }
    }

    @EachDatabase
    void updateFeaturesWhenUnknownFeatureThenInvalidArgumentAndUnchanged(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Organization original = f.organizations.create(env.id(), acme(Optional.empty()));

            assertThatThrownBy(() -> f.organizations.updateFeatures(env.id(), original.id(),
                    new java.util.TreeMap<>(Map.of("sso", true, "scim", true))))
                    .isInstanceOfSatisfying(DomainException.InvalidArgument.class, e -> assertThat(e.violations())
                            .extracting(FieldViolation::field).containsExactly("settings.features.name"));

            assertThat(f.organizations.get(env.id(), new OrganizationRef.ById(original.id()))).isEqualTo(original);
        }
    }

    @EachDatabase
    void updateMaxAllowedUsersWhenSetAndClearedThenRoundTrips(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Organization original = f.organizations.create(env.id(), acme(Optional.empty()));
            OrganizationRef ref = new OrganizationRef.ById(original.id());

            f.organizations.updateMaxAllowedUsers(env.id(), original.id(), Optional.of(50));
            assertThat(f.organizations.get(env.id(), ref).maxAllowedUsers()).contains(50);

            f.organizations.updateMaxAllowedUsers(env.id(), original.id(), Optional.of(0));
            assertThat(f.organizations.get(env.id(), ref).maxAllowedUsers()).contains(0);

            f.organizations.updateMaxAllowedUsers(env.id(), original.id(), Optional.empty());
            assertThat(f.organizations.get(env.id(), ref).maxAllowedUsers()).isEmpty();

            assertThatThrownBy(() -> f.organizations.updateMaxAllowedUsers(env.id(), original.id(), Optional.of(-1)))
                    .isInstanceOfSatisfying(DomainException.InvalidArgument.class, e -> assertThat(e.violations())
                            .extracting(FieldViolation::field).containsExactly("settings.max_allowed_users"));
            assertThat(f.organizations.get(env.id(), ref).maxAllowedUsers()).isEmpty();
        }
    }

    @EachDatabase
    void deleteWhenExistsThenGoneAndSecondDeleteNotFound(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Organization doomed = f.organizations.create(env.id(), acme(Optional.of("acme-1")));
            Organization survivor = f.organizations.create(env.id(), named("Survivor"));

            f.organizations.delete(env.id(), new OrganizationRef.ById(doomed.id()));

            assertThatThrownBy(() -> f.organizations.get(env.id(), new OrganizationRef.ById(doomed.id())))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> f.organizations.get(env.id(), new OrganizationRef.ByExternalId("acme-1")))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> f.organizations.delete(env.id(), new OrganizationRef.ById(doomed.id())))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThat(f.count("organizations")).isEqualTo(1);
            assertThat(f.organizations.get(env.id(), new OrganizationRef.ById(survivor.id()))).isEqualTo(survivor);
        }
    }

    @EachDatabase
    void deleteWhenAddressedByExternalIdThenGone(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            f.organizations.create(env.id(), acme(Optional.of("acme-1")));

            f.organizations.delete(env.id(), new OrganizationRef.ByExternalId("acme-1"));

            assertThat(f.count("organizations")).isZero();
        }
    }

    @EachDatabase
    void getWhenUnknownThenNotFound(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");

            assertThatThrownBy(() -> f.organizations.get(env.id(), new OrganizationRef.ById("org_99999999999999999")))
                    .isInstanceOf(DomainException.NotFound.class).hasMessageContaining("org_99999999999999999");
            assertThatThrownBy(() -> f.organizations.get(env.id(), new OrganizationRef.ByExternalId("ghost")))
                    .isInstanceOf(DomainException.NotFound.class).hasMessageContaining("ghost");
        }
    }

}
