package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.credential.ClientAuthentication;
import dev.gatehouse.core.credential.IssuedCredentials;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.key.SigningKey;
import dev.gatehouse.core.organization.NewOrganization;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationFeature;
import dev.gatehouse.core.organization.OrganizationPatch;
import dev.gatehouse.core.organization.OrganizationRef;
import dev.gatehouse.core.organization.RegionCode;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageCursor;
import dev.gatehouse.core.shared.PageRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every tenant-scoped read and write of environment B must neither see nor touch environment A's data,
 * at the service level and at the repository level (so the SQL itself is scoped, not only the service's pre-checks).
 */
class EnvironmentIsolationTest {
    private static NewOrganization acme() {
        return new NewOrganization("Acme Isolated", RegionCode.EU, Optional.of("acme-ext"), Map.of("tier", "gold"),
                Optional.of("acme"), Optional.of("https://acme.example.com/logo.png"));
    }

    @EachDatabase
    void organizationReadsWhenFromOtherEnvironmentThenNotFoundOrEmpty(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            Environment b = f.environment("beta");
            Organization orgOfA = f.organizations.create(a.id(), acme());

            assertThatThrownBy(() -> f.organizations.get(b.id(), new OrganizationRef.ById(orgOfA.id())))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> f.organizations.get(b.id(), new OrganizationRef.ByExternalId("acme-ext")))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThat(f.organizationRepository.findById(b.id(), orgOfA.id())).isEmpty();
            assertThat(f.organizationRepository.findByExternalId(b.id(), "acme-ext")).isEmpty();

            Page<Organization> listed = f.organizations.list(b.id(), PageRequest.first(100), Optional.empty());
            assertThat(listed.items()).isEmpty();
            assertThat(listed.totalSize()).isZero();
            assertThat(listed.next()).isEmpty();
            assertThat(f.organizations.list(b.id(), PageRequest.first(100), Optional.of("acme-ext")).items()).isEmpty();

            for (String query : List.of("Acme", "acme-ext", orgOfA.id())) {
                Page<Organization> found = f.organizations.search(b.id(), query, PageRequest.first(100));
                assertThat(found.items()).as("search %s", query).isEmpty();
                assertThat(found.totalSize()).isZero();
            }
            // A cursor naming A's organization does not open A's listing to B either.
            for (PageCursor cursor : List.of(PageCursor.after(orgOfA.id()), PageCursor.before(orgOfA.id()),
                    PageCursor.before("org_99999999999999999"))) {
                Page<Organization> page = f.organizations.list(b.id(), new PageRequest(10, Optional.of(cursor)), Optional.empty());
                assertThat(page.items()).as("cursor %s", cursor).isEmpty();
                assertThat(page.next()).isEmpty();
                assertThat(page.previous()).isEmpty();
            }
            assertThat(f.organizations.search(a.id(), "Acme", PageRequest.first(10)).items()).containsExactly(orgOfA);
        }
    }

    @EachDatabase
    void organizationWritesWhenFromOtherEnvironmentThenNotFoundAndUnchanged(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            Environment b = f.environment("beta");
            Organization orgOfA = f.organizations.create(a.id(), acme());
            f.clock.advance(Duration.ofMinutes(1));
            OrganizationPatch rename = new OrganizationPatch(Optional.of("Hijacked"), Optional.of(""),
                    Optional.of(Map.of()), Optional.of(""), Optional.of(""));

            assertThatThrownBy(() -> f.organizations.update(b.id(), new OrganizationRef.ById(orgOfA.id()), rename))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> f.organizations.update(b.id(), new OrganizationRef.ByExternalId("acme-ext"), rename))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> f.organizations.delete(b.id(), new OrganizationRef.ById(orgOfA.id())))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> f.organizations.delete(b.id(), new OrganizationRef.ByExternalId("acme-ext")))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> f.organizations.updateFeatures(b.id(), orgOfA.id(), Map.of("sso", true)))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> f.organizations.updateMaxAllowedUsers(b.id(), orgOfA.id(), Optional.of(1)))
                    .isInstanceOf(DomainException.NotFound.class);

            // The repository's own statements are scoped too, whatever the caller checked before.
            Organization movedToB = new Organization(orgOfA.id(), b.id(), "Hijacked", RegionCode.US, Optional.empty(),
                    Map.of(), Map.of(OrganizationFeature.SSO, true), Optional.empty(), Optional.empty(), Optional.of(1),
                    orgOfA.createTime(), f.clock.instant());
            assertThat(f.organizationRepository.update(movedToB)).isFalse();
            assertThat(f.organizationRepository.delete(b.id(), orgOfA.id())).isFalse();

            assertThat(f.organizations.get(a.id(), new OrganizationRef.ById(orgOfA.id()))).isEqualTo(orgOfA);
            assertThat(f.count("organizations", a.id())).isEqualTo(1);
            assertThat(f.count("organizations", b.id())).isZero();
        }
    }

    @EachDatabase
    void organizationsWhenSameExternalIdInBothEnvironmentsThenEachSeesOnlyItsOwn(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            Environment b = f.environment("beta");
            Organization orgOfA = f.organizations.create(a.id(), acme());
            Organization orgOfB = f.organizations.create(b.id(), new NewOrganization("Beta Acme", RegionCode.US,
                    Optional.of("acme-ext"), Map.of(), Optional.empty(), Optional.empty()));

            f.organizations.update(b.id(), new OrganizationRef.ByExternalId("acme-ext"),
                    new OrganizationPatch(Optional.of("Beta Renamed"), Optional.empty(), Optional.empty(), Optional.empty(),
                            Optional.empty()));
            f.organizations.delete(b.id(), new OrganizationRef.ByExternalId("acme-ext"));

            assertThat(f.organizations.get(a.id(), new OrganizationRef.ByExternalId("acme-ext"))).isEqualTo(orgOfA);
            assertThat(f.organizationRepository.findById(b.id(), orgOfB.id())).isEmpty();
            assertThat(f.organizations.list(a.id(), PageRequest.first(10), Optional.of("acme-ext")).items())
                    .containsExactly(orgOfA);
        }
    }

    @EachDatabase
    void signingKeysWhenPublishedForOtherEnvironmentThenExcludedAndRotationDoesNotRetireThem(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            Environment b = f.environment("beta");
            SigningKey keyOfA = f.keys.rotate(a.id());
            SigningKey firstOfB = f.keys.rotate(b.id());
            f.clock.advance(Duration.ofSeconds(1));
            SigningKey secondOfB = f.keys.rotate(b.id());

            List<SigningKey> publishedForB = f.keys.published(b.id());
            assertThat(publishedForB).extracting(SigningKey::kid).containsExactly(secondOfB.kid(), firstOfB.kid());
            assertThat(publishedForB).extracting(SigningKey::environmentId).containsOnly(b.id());

            List<SigningKey> publishedForA = f.keys.published(a.id());
            assertThat(publishedForA).extracting(SigningKey::kid).containsExactly(keyOfA.kid());
            assertThat(publishedForA.getFirst().state()).isEqualTo(SigningKey.KeyState.ACTIVE);
            assertThat(f.keys.active(a.id())).map(SigningKey::kid).contains(keyOfA.kid());
        }
    }

    @EachDatabase
    void clientSecretsWhenReadFromOtherEnvironmentThenEmpty(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            Environment b = f.environment("beta");
            IssuedCredentials clientOfA = f.clients.create(a.id(), "default", Optional.empty(), Optional.empty());
            IssuedCredentials clientOfB = f.clients.create(b.id(), "default", Optional.empty(), Optional.empty());

            assertThat(f.clientRepository.secrets(b.id(), clientOfA.client().id())).isEmpty();
            assertThat(f.clientRepository.secrets(a.id(), clientOfA.client().id())).hasSize(1);
            assertThat(f.clientRepository.list(b.id())).extracting(c -> c.id()).containsExactly(clientOfB.client().id());
            assertThatThrownBy(() -> f.clients.addSecret(b.id(), clientOfA.client().id()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(f.count("environment_client_secrets", a.id())).isEqualTo(1);
            assertThat(f.count("environment_client_secrets", b.id())).isEqualTo(1);
        }
    }

    @EachDatabase
    void authenticateWhenSecretOfOtherEnvironmentsClientPresentedThenRejected(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            Environment b = f.environment("beta");
            IssuedCredentials clientOfA = f.clients.create(a.id(), "default", Optional.empty(), Optional.empty());
            IssuedCredentials clientOfB = f.clients.create(b.id(), "default", Optional.empty(), Optional.empty());

            assertThat(f.clients.authenticate(clientOfA.client().id(), clientOfB.plainSecret()))
                    .isInstanceOf(ClientAuthentication.Rejected.class);
            assertThat(f.clients.authenticate(clientOfB.client().id(), clientOfA.plainSecret()))
                    .isInstanceOf(ClientAuthentication.Rejected.class);
        }
    }

    @EachDatabase
    void addConfiguredSecretWhenEnvironmentDoesNotOwnClientThenSecretDoesNotAuthenticate(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            Environment b = f.environment("beta");
            IssuedCredentials clientOfA = f.clients.create(a.id(), "default", Optional.empty(), Optional.empty());

            try {
                f.clients.addConfiguredSecret(b.id(), clientOfA.client().id(), "gsk_planted_by_beta");
            } catch (RuntimeException refused) {
                // Refusing outright is the better answer; either way the planted secret must not open client A.
            }

            assertThat(f.clients.authenticate(clientOfA.client().id(), "gsk_planted_by_beta"))
                    .isInstanceOf(ClientAuthentication.Rejected.class);
            assertThat(f.clientRepository.secrets(a.id(), clientOfA.client().id())).hasSize(1);
        }
    }

    @EachDatabase
    void auditRecentWhenReadForOtherEnvironmentThenExcluded(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            Environment b = f.environment("beta");
            Instant now = f.clock.instant();
            f.audit.append(record(now, Optional.of(a.id()), "organization.create"));
            f.audit.append(record(now, Optional.of(a.id()), "token.issue"));
            f.audit.append(record(now, Optional.of(b.id()), "token.issue"));
            f.audit.append(record(now, Optional.empty(), "token.issue"));

            List<AuditRecord> ofB = f.audit.recent(b.id(), Optional.empty(), Instant.EPOCH, 100);
            assertThat(ofB).hasSize(1);
            assertThat(ofB.getFirst().environmentId()).contains(b.id());
            assertThat(f.audit.recent(b.id(), Optional.of("organization.create"), Instant.EPOCH, 100)).isEmpty();
            assertThat(f.audit.recent(a.id(), Optional.empty(), Instant.EPOCH, 100))
                    .extracting(r -> r.environmentId().orElseThrow()).containsOnly(a.id()).hasSize(2);
        }
    }

    private static AuditRecord record(Instant time, Optional<String> environmentId, String type) {
        return new AuditRecord(time, environmentId, Optional.empty(), type, AuditRecord.Outcome.SUCCESS,
                Optional.of("skc_test"), Optional.empty(), Optional.of("127.0.0.1"), Map.of());
    }
}
