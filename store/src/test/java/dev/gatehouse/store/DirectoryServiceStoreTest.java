package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.credential.SecretGenerator;
import dev.gatehouse.core.directory.Directory;
import dev.gatehouse.core.directory.DirectoryEvent;
import dev.gatehouse.core.directory.DirectoryGroup;
import dev.gatehouse.core.directory.DirectoryProvider;
import dev.gatehouse.core.directory.DirectoryService;
import dev.gatehouse.core.directory.DirectoryType;
import dev.gatehouse.core.directory.DirectoryUser;
import dev.gatehouse.core.directory.IssuedDirectorySecret;
import dev.gatehouse.core.directory.RoleAssignment;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.organization.NewOrganization;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.RegionCode;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.shared.PageRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Directories, bearer-token rotation and the directory-scoped resource repository, on H2 and PostgreSQL. */
class DirectoryServiceStoreTest {
    static final class Setup implements AutoCloseable {
        final StoreFixture f;
        final List<DirectoryEvent> events = new ArrayList<>();
        final JdbiDirectoryRepository directoryRepository;
        final JdbiDirectoryResourceRepository resources;
        final DirectoryService directories;
        final Environment environment;
        final Organization organization;

        Setup(String kind) {
            f = StoreFixture.open(kind);
            directoryRepository = new JdbiDirectoryRepository(f.tx);
            resources = new JdbiDirectoryResourceRepository(f.tx);
            directories = new DirectoryService(directoryRepository, resources, f.organizationRepository, f.ids,
                    new SecretGenerator(), f.clock, f.tx, events::add);
            environment = f.environment("dirs");
            organization = f.organizations.create(environment.id(), new NewOrganization("Acme", RegionCode.US,
                    Optional.empty(), Map.of(), Optional.empty(), Optional.empty()));
        }

        Directory directory() {
            return directories.create(environment.id(), organization.id(), DirectoryType.SCIM, DirectoryProvider.OKTA);
        }

        DirectoryUser user(Directory d, String userName) {
            var now = f.clock.instant();
            DirectoryUser user = new DirectoryUser(f.ids.next(IdPrefix.DIRECTORY_USER), environment.id(), d.id(), userName,
                    Optional.empty(), true, Optional.of(userName), Optional.empty(), Optional.empty(), Optional.empty(),
                    "{\"userName\":\"" + userName + "\"}", Optional.empty(), now, now);
            resources.insertUser(user);
            return user;
        }

        @Override
        public void close() {
            f.close();
        }
    }

    @EachDatabase
    void createWhenOrganizationExistsThenDisabledScimDirectoryWithEndpoint(String kind) {
        try (Setup s = new Setup(kind)) {
            Directory d = s.directory();
            assertThat(d.id()).startsWith("dir_");
            assertThat(d.enabled()).isFalse();
            assertThat(d.scimEndpoint("https://auth.example.com/")).isEqualTo("https://auth.example.com/directory/" + d.id() + "/scim/v2");
            assertThat(s.directories.get(s.environment.id(), s.organization.id(), d.id())).isEqualTo(d);
            assertThat(s.directories.list(s.environment.id(), s.organization.id())).containsExactly(d);
            assertThatThrownBy(() -> s.directories.create(s.environment.id(), "org_404", DirectoryType.SCIM, DirectoryProvider.OKTA))
                    .isInstanceOf(DomainException.NotFound.class);
        }
    }

    @EachDatabase
    void enableWhenToggledTwiceThenSecondReportsAlreadyEnabledAndOneEvent(String kind) {
        try (Setup s = new Setup(kind)) {
            Directory d = s.directory();
            assertThat(s.directories.setEnabled(s.environment.id(), s.organization.id(), d.id(), true).errorMessage()).isEmpty();
            assertThat(s.directories.setEnabled(s.environment.id(), s.organization.id(), d.id(), true).errorMessage())
                    .contains("The directory is already enabled");
            assertThat(s.events).extracting(DirectoryEvent::type).containsExactly(DirectoryEvent.DIRECTORY_ENABLED);
            assertThat(s.directories.get(s.environment.id(), s.organization.id(), d.id()).enabled()).isTrue();
        }
    }

    @EachDatabase
    void regenerateWhenRotatedTwiceThenAtMostTwoTokensValidAndOldOneExpires(String kind) {
        try (Setup s = new Setup(kind)) {
            Directory d = s.directory();
            String env = s.environment.id();
            String org = s.organization.id();
            IssuedDirectorySecret first = s.directories.createSecret(env, org, d.id());
            assertThatThrownBy(() -> s.directories.createSecret(env, org, d.id()))
                    .isInstanceOf(DomainException.FailedPrecondition.class);
            assertThat(s.directories.authenticateScim(d.id(), first.plainSecret())).contains(d);
            assertThat(s.directories.authenticateScim(d.id(), first.plainSecret() + "x")).isEmpty();

            IssuedDirectorySecret second = s.directories.regenerateSecret(env, org, d.id());
            assertThat(s.directories.authenticateScim(d.id(), first.plainSecret())).isPresent();
            assertThat(s.directories.authenticateScim(d.id(), second.plainSecret())).isPresent();

            IssuedDirectorySecret third = s.directories.regenerateSecret(env, org, d.id());
            assertThat(s.directories.authenticateScim(d.id(), first.plainSecret())).isEmpty();
            assertThat(s.directories.authenticateScim(d.id(), second.plainSecret())).isPresent();
            assertThat(s.directories.authenticateScim(d.id(), third.plainSecret())).isPresent();
            assertThat(s.directories.secrets(d.id()).stream().filter(x -> x.isValidAt(s.f.clock.instant()))).hasSize(2);

            s.f.clock.advance(DirectoryService.ROTATION_GRACE.plus(Duration.ofSeconds(1)));
            assertThat(s.directories.authenticateScim(d.id(), second.plainSecret())).isEmpty();
            assertThat(s.directories.authenticateScim(d.id(), third.plainSecret())).isPresent();
            assertThat(s.f.count("directory_secrets")).isEqualTo(3);
            List<String> stored = s.f.database.jdbi().withHandle(h -> h.createQuery("select secret_sha256 from directory_secrets")
                    .mapTo(String.class).list());
            assertThat(stored).doesNotContain(third.plainSecret()).allMatch(hex -> hex.length() == 64);
        }
    }

    @EachDatabase
    void authenticateWhenDirectoryChangedThroughServiceAfterAcceptanceThenChangeSeenAtOnce(String kind) {
        try (Setup s = new Setup(kind)) {
            Directory d = s.directory();
            String env = s.environment.id();
            String org = s.organization.id();
            IssuedDirectorySecret token = s.directories.createSecret(env, org, d.id());
            s.directories.setEnabled(env, org, d.id(), true);
            assertThat(s.directories.authenticateScim(d.id(), token.plainSecret())).get().extracting(Directory::enabled).isEqualTo(true);

            s.directories.setEnabled(env, org, d.id(), false);
            assertThat(s.directories.authenticateScim(d.id(), token.plainSecret())).get().extracting(Directory::enabled).isEqualTo(false);

            s.directories.delete(env, org, d.id());
            assertThat(s.directories.authenticateScim(d.id(), token.plainSecret())).isEmpty();
        }
    }

    @EachDatabase
    void authenticateWhenTokenDeactivatedInStoreThenAcceptedAtMostForCacheLifetime(String kind) {
        try (Setup s = new Setup(kind)) {
            Directory d = s.directory();
            IssuedDirectorySecret token = s.directories.createSecret(s.environment.id(), s.organization.id(), d.id());
            assertThat(s.directories.authenticateScim(d.id(), token.plainSecret())).isPresent();
            // Another node deactivates it (a change this service did not make): remembered for at most the TTL.
            s.f.database.jdbi().useHandle(h -> h.execute("update directory_secrets set active = false"));
            s.f.clock.advance(Duration.ofSeconds(5));
            assertThat(s.directories.authenticateScim(d.id(), token.plainSecret())).isEmpty();
            assertThat(s.directories.authenticateScim(d.id(), token.plainSecret() + "x")).isEmpty();
        }
    }

    @EachDatabase
    void authenticateWhenTokenOfOtherDirectoryThenRejected(String kind) {
        try (Setup s = new Setup(kind)) {
            Directory a = s.directory();
            Directory b = s.directory();
            IssuedDirectorySecret tokenOfA = s.directories.createSecret(s.environment.id(), s.organization.id(), a.id());
            assertThat(s.directories.authenticateScim(b.id(), tokenOfA.plainSecret())).isEmpty();
            assertThat(s.directories.authenticateScim("dir_404", tokenOfA.plainSecret())).isEmpty();
        }
    }

    @EachDatabase
    void resourcesWhenReadThroughOtherDirectoryThenNotFound(String kind) {
        try (Setup s = new Setup(kind)) {
            Directory a = s.directory();
            Directory b = s.directory();
            DirectoryUser alice = s.user(a, "alice@acme.test");
            String env = s.environment.id();
            assertThat(s.resources.findUser(env, b.id(), alice.id())).isEmpty();
            assertThat(s.resources.findUserByUserName(env, b.id(), "alice@acme.test")).isEmpty();
            assertThat(s.resources.findUserByUserName(env, a.id(), "ALICE@acme.test")).isPresent();
            assertThat(s.resources.deleteUser(env, b.id(), alice.id())).isFalse();
            assertThat(s.resources.allUsers(env, b.id())).isEmpty();
            // The same userName may exist in another directory, but not twice in one (case-insensitively).
            s.user(b, "alice@acme.test");
            assertThatThrownBy(() -> s.user(a, "Alice@ACME.test"))
                    .isInstanceOfSatisfying(DomainException.AlreadyExists.class, e -> assertThat(e.field()).isEqualTo("userName"));
        }
    }

    @EachDatabase
    void findWithGroupsByUserNameWhenUserInTwoGroupsThenUserAndBothGroupsInIdOrderFromOneDirectoryOnly(String kind) {
        try (Setup s = new Setup(kind)) {
            Directory a = s.directory();
            Directory b = s.directory();
            String env = s.environment.id();
            DirectoryUser alice = s.user(a, "alice@acme.test");
            DirectoryUser bob = s.user(a, "bob@acme.test");
            var now = s.f.clock.instant();
            List<DirectoryGroup> groups = new ArrayList<>();
            for (String name : List.of("Eng", "Ops")) {
                DirectoryGroup g = new DirectoryGroup(s.f.ids.next(IdPrefix.DIRECTORY_GROUP), env, a.id(), name,
                        Optional.of("ext-" + name), "{\"displayName\":\"" + name + "\"}", now, now);
                s.resources.insertGroup(g);
                s.resources.addMembers(env, a.id(), g.id(), List.of(alice.id()));
                groups.add(g);
            }

            var found = s.resources.findUserWithGroupsByUserName(env, a.id(), "ALICE@acme.test").orElseThrow();
            assertThat(found.user()).isEqualTo(s.resources.findUser(env, a.id(), alice.id()).orElseThrow());
            assertThat(found.groups()).extracting(DirectoryGroup::id).containsExactlyElementsOf(groups.stream()
                    .map(DirectoryGroup::id).sorted().toList());
            assertThat(found.groups()).extracting(DirectoryGroup::displayName, DirectoryGroup::externalId)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("Eng", Optional.of("ext-Eng")),
                            org.assertj.core.groups.Tuple.tuple("Ops", Optional.of("ext-Ops")));
            assertThat(found.groups()).isEqualTo(s.resources.groupsOfUser(env, a.id(), alice.id()));
            var withoutGroups = s.resources.findUserWithGroupsByUserName(env, a.id(), "bob@acme.test").orElseThrow();
            assertThat(withoutGroups.user().id()).isEqualTo(bob.id());
            assertThat(withoutGroups.groups()).isEmpty();
            assertThat(s.resources.findUserWithGroupsByUserName(env, b.id(), "alice@acme.test")).isEmpty();
            assertThat(s.resources.findUserWithGroupsByUserName(env, a.id(), "carol@acme.test")).isEmpty();
        }
    }

    @EachDatabase
    void listUsersWhenFilteredByGroupAndUpdatedAfterThenOnlyThoseAndRolesDefaultToFirst(String kind) {
        try (Setup s = new Setup(kind)) {
            Directory d = s.directory();
            String env = s.environment.id();
            DirectoryUser u1 = s.user(d, "u1");
            s.f.clock.advance(Duration.ofMinutes(1));
            var after = s.f.clock.instant();
            s.f.clock.advance(Duration.ofMinutes(1));
            DirectoryUser u2 = s.user(d, "u2");
            var now = s.f.clock.instant();
            DirectoryGroup g = new DirectoryGroup(s.f.ids.next(IdPrefix.DIRECTORY_GROUP), env, d.id(), "Eng", Optional.empty(),
                    "{}", now, now);
            s.resources.insertGroup(g);
            s.resources.addMembers(env, d.id(), g.id(), List.of(u1.id()));
            assertThat(s.directories.listUsers(env, s.organization.id(), d.id(), PageRequest.first(10), Optional.of(g.id()),
                    Optional.empty()).items()).extracting(DirectoryUser::id).containsExactly(u1.id());
            assertThat(s.directories.listUsers(env, s.organization.id(), d.id(), PageRequest.first(10), Optional.empty(),
                    Optional.of(after)).items()).extracting(DirectoryUser::id).containsExactly(u2.id());

            s.directories.assignRoles(env, s.organization.id(), d.id(),
                    List.of(new RoleAssignment("", "member"), new RoleAssignment(g.id(), "engineer")));
            var assignments = s.directories.roleAssignments(env, s.organization.id(), d.id());
            assertThat(DirectoryService.rolesFor(assignments, List.of(g.id()))).containsExactly("engineer");
            assertThat(DirectoryService.rolesFor(assignments, List.of())).containsExactly("member");
            assertThatThrownBy(() -> s.directories.assignRoles(env, s.organization.id(), d.id(),
                    List.of(new RoleAssignment("dirgroup_404", "x"))))
                    .isInstanceOf(DomainException.NotFound.class);
        }
    }
}
