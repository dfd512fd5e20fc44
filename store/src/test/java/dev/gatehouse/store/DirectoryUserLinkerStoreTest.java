package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.credential.SecretGenerator;
import dev.gatehouse.core.directory.Directory;
import dev.gatehouse.core.directory.DirectoryGroup;
import dev.gatehouse.core.directory.DirectoryProvider;
import dev.gatehouse.core.directory.DirectoryService;
import dev.gatehouse.core.directory.DirectoryType;
import dev.gatehouse.core.directory.DirectoryUser;
import dev.gatehouse.core.directory.DirectoryUserSync;
import dev.gatehouse.core.directory.EnvironmentUserLinker;
import dev.gatehouse.core.directory.RoleAssignment;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.user.Membership;
import dev.gatehouse.core.user.MembershipStatus;
import dev.gatehouse.core.user.NewMembership;
import dev.gatehouse.core.user.User;
import dev.gatehouse.core.user.UserSessionRevoker;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Directory sync into environment users (EnvironmentUserLinker, docs/DECISIONS.md D-L1…D-L6), on H2 and PostgreSQL. */
class DirectoryUserLinkerStoreTest {
    /** What the session port was asked to revoke: environment and user. */
    record Revocation(String environmentId, String userId) {}

    static final class Setup implements AutoCloseable {
        final StoreFixture f;
        final UserFixture u;
        final List<Revocation> revoked = new ArrayList<>();
        final JdbiDirectoryRepository directoryRepository;
        final JdbiDirectoryResourceRepository resources;
        final EnvironmentUserLinker linker;
        final DirectoryService directories;
        final DirectoryUserSync sync;
        final Environment environment;
        final Organization organization;

        Setup(String kind) {
            f = StoreFixture.open(kind);
            u = new UserFixture(f);
            directoryRepository = new JdbiDirectoryRepository(f.tx);
            resources = new JdbiDirectoryResourceRepository(f.tx);
            UserSessionRevoker recorder = (env, user) -> revoked.add(new Revocation(env, user));
            linker = new EnvironmentUserLinker(u.users, u.userRepository, u.membershipRepository, directoryRepository,
                    resources, recorder);
            directories = new DirectoryService(directoryRepository, resources, f.organizationRepository, f.ids,
                    new SecretGenerator(), f.clock, f.tx, event -> { }, linker);
            sync = new DirectoryUserSync(directoryRepository, resources, linker);
            environment = f.environment("sync");
            organization = u.organization(environment.id(), "Acme");
        }

        Directory directory(Organization organization) {
            return directories.create(organization.environmentId(), organization.id(), DirectoryType.SCIM, DirectoryProvider.OKTA);
        }

        /** A SCIM create: the row, then the link, in one transaction (as ScimEndpoint does). */
        DirectoryUser provision(Directory d, String userName, String email, boolean active) {
            linker.prepare(d);
            return f.tx.inTransaction(() -> {
                var now = f.clock.instant();
                DirectoryUser user = new DirectoryUser(f.ids.next(IdPrefix.DIRECTORY_USER), d.environmentId(), d.id(), userName,
                        Optional.empty(), active, Optional.ofNullable(email), Optional.of("Ada"), Optional.of("Lovelace"),
                        Optional.empty(), "{}", Optional.empty(), now, now);
                resources.insertUser(user);
                return sync.link(d, user);
            });
        }

        /** A SCIM PUT/PATCH: the row as changed, then the link. */
        DirectoryUser change(Directory d, DirectoryUser current, String email, boolean active, String given) {
            linker.prepare(d);
            return f.tx.inTransaction(() -> {
                DirectoryUser user = new DirectoryUser(current.id(), current.environmentId(), current.directoryId(),
                        current.userName(), current.externalId(), active, Optional.ofNullable(email), Optional.ofNullable(given),
                        current.familyName(), current.displayName(), current.resourceJson(),
                        resources.findUser(d.environmentId(), d.id(), current.id()).orElseThrow().linkedUserId(),
                        current.createTime(), f.clock.instant());
                resources.updateUser(user);
                return sync.link(d, user);
            });
        }

        void delete(Directory d, DirectoryUser user) {
            f.tx.inTransaction(() -> {
                DirectoryUser stored = resources.findUser(d.environmentId(), d.id(), user.id()).orElseThrow();
                sync.deprovision(d, stored);
                resources.deleteUser(d.environmentId(), d.id(), user.id());
                return null;
            });
        }

        DirectoryGroup group(Directory d, String name, DirectoryUser... members) {
            var now = f.clock.instant();
            DirectoryGroup group = new DirectoryGroup(f.ids.next(IdPrefix.DIRECTORY_GROUP), d.environmentId(), d.id(), name,
                    Optional.empty(), "{}", now, now);
            f.tx.inTransaction(() -> {
                resources.insertGroup(group);
                resources.addMembers(d.environmentId(), d.id(), group.id(), List.of(members).stream().map(DirectoryUser::id).toList());
                for (DirectoryUser member : members) {
                    sync.link(d, resources.findUser(d.environmentId(), d.id(), member.id()).orElseThrow());
                }
                return null;
            });
            return group;
        }

        Optional<User> user(String id) {
            return u.userRepository.findById(environment.id(), id);
        }

        Optional<Membership> membership(Organization organization, String userId) {
            return u.membershipRepository.find(organization.environmentId(), organization.id(), userId);
        }

        @Override
        public void close() {
            f.close();
        }
    }

    @EachDatabase
    void provisionWhenEmailIsNewThenVerifiedUserWithActiveDefaultMembershipAndProfile(String kind) {
        try (Setup s = new Setup(kind)) {
            Directory d = s.directory(s.organization);
            DirectoryUser ada = s.provision(d, "ada.lovelace", "Ada@Example.com", true);

            assertThat(ada.linkedUserId()).isPresent();
            assertThat(s.resources.findUser(s.environment.id(), d.id(), ada.id()).orElseThrow().linkedUserId())
                    .isEqualTo(ada.linkedUserId());
            User user = s.user(ada.linkedUserId().get()).orElseThrow();
            assertThat(user.id()).startsWith("usr_");
            assertThat(user.email()).isEqualTo("Ada@Example.com");
            assertThat(user.emailVerified()).isTrue();
            assertThat(user.externalId()).isEmpty();
            assertThat(user.profile().givenName()).isEqualTo("Ada");
            assertThat(user.profile().familyName()).isEqualTo("Lovelace");
            assertThat(user.profile().firstName()).isEqualTo("Ada");
            assertThat(user.profile().lastName()).isEqualTo("Lovelace");
            assertThat(user.profile().name()).isEqualTo("Ada Lovelace");
            assertThat(user.profile().preferredUsername()).isEqualTo("ada.lovelace");
            Membership membership = s.membership(s.organization, user.id()).orElseThrow();
            assertThat(membership.storedStatus()).isEqualTo(MembershipStatus.ACTIVE);
            assertThat(membership.roles()).containsExactly("member");
            assertThat(membership.joinTime()).isPresent();
            assertThat(s.revoked).isEmpty();
        }
    }

    @EachDatabase
    void provisionWhenEmailBelongsToExistingUserIgnoringCaseThenLinkedNotDuplicated(String kind) {
        try (Setup s = new Setup(kind)) {
            Organization other = s.u.organization(s.environment.id(), "Other");
            User existing = s.u.users.createUserAndMembership(s.environment.id(), other.id(),
                    UserFixture.newUser("grace@navy.example"), NewMembership.defaults(), true).user();
            Directory d = s.directory(s.organization);

            DirectoryUser grace = s.provision(d, "grace", "GRACE@Navy.Example", true);

            assertThat(grace.linkedUserId()).contains(existing.id());
            assertThat(s.f.count("users", s.environment.id())).isEqualTo(1);
            assertThat(s.membership(s.organization, existing.id()).orElseThrow().storedStatus()).isEqualTo(MembershipStatus.ACTIVE);
            assertThat(s.membership(other, existing.id()).orElseThrow().storedStatus()).isEqualTo(MembershipStatus.PENDING_INVITE);
            User after = s.user(existing.id()).orElseThrow();
            assertThat(after.email()).isEqualTo("grace@navy.example");
            assertThat(after.profile().givenName()).as("names flow to a linked user").isEqualTo("Ada");
        }
    }

    @EachDatabase
    void changeWhenDeactivatedThenMembershipInactiveSessionsRevokedOnceAndReactivationRestores(String kind) {
        try (Setup s = new Setup(kind)) {
            Directory d = s.directory(s.organization);
            DirectoryUser ada = s.provision(d, "ada", "ada@example.com", true);
            String userId = ada.linkedUserId().orElseThrow();

            ada = s.change(d, ada, "ada@example.com", false, "Ada");
            assertThat(s.membership(s.organization, userId).orElseThrow().storedStatus()).isEqualTo(MembershipStatus.INACTIVE);
            assertThat(s.user(userId)).as("a deactivated user keeps their data").isPresent();
            assertThat(s.revoked).containsExactly(new Revocation(s.environment.id(), userId));

            ada = s.change(d, ada, "ada@example.com", false, "Ada B.");
            assertThat(s.revoked).as("already inactive: nothing more to revoke").hasSize(1);
            assertThat(s.user(userId).orElseThrow().profile().givenName()).isEqualTo("Ada B.");

            s.change(d, ada, "ada@example.com", true, "Ada B.");
            assertThat(s.membership(s.organization, userId).orElseThrow().storedStatus()).isEqualTo(MembershipStatus.ACTIVE);
            assertThat(s.revoked).hasSize(1);
        }
    }

    @EachDatabase
    void provisionWhenInactiveFromTheStartThenInactiveMembership(String kind) {
        try (Setup s = new Setup(kind)) {
            Directory d = s.directory(s.organization);
            DirectoryUser ada = s.provision(d, "ada", "ada@example.com", false);
            assertThat(s.membership(s.organization, ada.linkedUserId().orElseThrow()).orElseThrow().storedStatus())
                    .isEqualTo(MembershipStatus.INACTIVE);
        }
    }

    @EachDatabase
    void groupsWhenMappedToRolesThenMembershipRolesFollowGroupsAndMappingChanges(String kind) {
        try (Setup s = new Setup(kind)) {
            Directory d = s.directory(s.organization);
            String env = s.environment.id();
            DirectoryUser ada = s.provision(d, "ada", "ada@example.com", true);
            DirectoryUser bob = s.provision(d, "bob", "bob@example.com", true);
            String adaId = ada.linkedUserId().orElseThrow();
            String bobId = bob.linkedUserId().orElseThrow();
            DirectoryGroup admins = s.group(d, "Admins", ada);
            assertThat(s.membership(s.organization, adaId).orElseThrow().roles()).as("no mapping: environment default")
                    .containsExactly("member");

            // The mapping usually comes after the groups were pushed: it re-links every user at once.
            s.directories.assignRoles(env, s.organization.id(), d.id(),
                    List.of(new RoleAssignment("", "member"), new RoleAssignment(admins.id(), "admin")));
            assertThat(s.membership(s.organization, adaId).orElseThrow().roles()).containsExactly("admin");
            assertThat(s.membership(s.organization, bobId).orElseThrow().roles()).containsExactly("member");

            // Joining and leaving a mapped group.
            s.f.tx.inTransaction(() -> {
                s.resources.addMembers(env, d.id(), admins.id(), List.of(bob.id()));
                s.resources.removeMembers(env, d.id(), admins.id(), List.of(ada.id()));
                s.sync.link(d, s.resources.findUser(env, d.id(), bob.id()).orElseThrow());
                s.sync.link(d, s.resources.findUser(env, d.id(), ada.id()).orElseThrow());
                return null;
            });
            assertThat(s.membership(s.organization, adaId).orElseThrow().roles()).containsExactly("member");
            assertThat(s.membership(s.organization, bobId).orElseThrow().roles()).containsExactly("admin");

            // A mapping to a role the environment does not have never fails a sync: the environment default applies.
            s.directories.assignRoles(env, s.organization.id(), d.id(), List.of(new RoleAssignment(admins.id(), "engineer")));
            assertThat(s.membership(s.organization, bobId).orElseThrow().roles()).containsExactly("member");
        }
    }

    @EachDatabase
    void deprovisionWhenOnlyMembershipThenUserDeletedElseUserStaysWithOtherMemberships(String kind) {
        try (Setup s = new Setup(kind)) {
            Directory d = s.directory(s.organization);
            DirectoryUser ada = s.provision(d, "ada", "ada@example.com", true);
            String adaId = ada.linkedUserId().orElseThrow();
            Organization other = s.u.organization(s.environment.id(), "Other");
            User grace = s.u.users.createUserAndMembership(s.environment.id(), other.id(),
                    UserFixture.newUser("grace@example.com"), NewMembership.defaults(), false).user();
            DirectoryUser graceInDirectory = s.provision(d, "grace", "grace@example.com", true);

            s.delete(d, ada);
            assertThat(s.user(adaId)).as("no membership left: the user goes").isEmpty();
            s.delete(d, graceInDirectory);
            assertThat(s.user(grace.id())).as("a member elsewhere stays").isPresent();
            assertThat(s.membership(s.organization, grace.id())).isEmpty();
            assertThat(s.membership(other, grace.id())).isPresent();
            assertThat(s.revoked).extracting(Revocation::userId).containsExactly(adaId, grace.id());
        }
    }

    @EachDatabase
    void deprovisionWhenAnotherDirectoryOfTheOrganizationStillLinksTheUserThenMembershipKept(String kind) {
        try (Setup s = new Setup(kind)) {
            Directory first = s.directory(s.organization);
            Directory second = s.directory(s.organization);
            DirectoryUser inFirst = s.provision(first, "ada", "ada@example.com", true);
            DirectoryUser inSecond = s.provision(second, "ada", "ada@example.com", true);
            assertThat(inSecond.linkedUserId()).isEqualTo(inFirst.linkedUserId());

            s.delete(first, inFirst);
            assertThat(s.membership(s.organization, inFirst.linkedUserId().orElseThrow())).isPresent();
            s.delete(second, inSecond);
            assertThat(s.user(inFirst.linkedUserId().orElseThrow())).isEmpty();
        }
    }

    @EachDatabase
    void changeWhenEmailChangesThenOwnedUserRenamedSharedUserLeftAndHolderLinked(String kind) {
        try (Setup s = new Setup(kind)) {
            Directory d = s.directory(s.organization);
            DirectoryUser ada = s.provision(d, "ada", "ada@example.com", true);
            String adaId = ada.linkedUserId().orElseThrow();

            // Owned (a member of this organization only): the same user, renamed.
            ada = s.change(d, ada, "ada.king@example.com", true, "Ada");
            assertThat(ada.linkedUserId()).contains(adaId);
            assertThat(s.user(adaId).orElseThrow().email()).isEqualTo("ada.king@example.com");

            // Shared with another organization: not renamed; the link moves to a new user with the new address.
            Organization other = s.u.organization(s.environment.id(), "Other");
            s.u.users.createMembership(s.environment.id(), other.id(), new dev.gatehouse.core.user.UserRef.ById(adaId),
                    NewMembership.defaults(), false);
            ada = s.change(d, ada, "countess@example.com", true, "Ada");
            String moved = ada.linkedUserId().orElseThrow();
            assertThat(moved).isNotEqualTo(adaId);
            assertThat(s.user(moved).orElseThrow().email()).isEqualTo("countess@example.com");
            assertThat(s.user(adaId).orElseThrow().email()).isEqualTo("ada.king@example.com");
            assertThat(s.membership(s.organization, adaId)).isEmpty();
            assertThat(s.membership(other, adaId)).isPresent();
            assertThat(s.revoked).extracting(Revocation::userId).containsExactly(adaId);

            // An address another user holds: the link moves to that user.
            User holder = s.u.users.createUserAndMembership(s.environment.id(), other.id(),
                    UserFixture.newUser("holder@example.com"), NewMembership.defaults(), false).user();
            ada = s.change(d, ada, "Holder@Example.com", true, "Ada");
            assertThat(ada.linkedUserId()).contains(holder.id());
            assertThat(s.user(moved)).as("the user the directory had created, left without membership").isEmpty();
            assertThat(s.membership(s.organization, holder.id())).isPresent();
        }
    }

    @EachDatabase
    void provisionWhenNoUsableEmailThenNotLinkedAndNamesAreCleaned(String kind) {
        try (Setup s = new Setup(kind)) {
            Directory d = s.directory(s.organization);
            assertThat(s.provision(d, "no-email", null, true).linkedUserId()).isEmpty();
            assertThat(s.provision(d, "bad-email", "not an address", true).linkedUserId()).isEmpty();
            assertThat(s.f.count("users", s.environment.id())).isZero();

            DirectoryUser odd = s.provision(d, "odd", "odd@example.com", true);
            DirectoryUser renamed = s.change(d, odd, "odd@example.com", true, "Bad\u0007Name" + "x".repeat(400));
            User user = s.user(renamed.linkedUserId().orElseThrow()).orElseThrow();
            assertThat(user.profile().givenName()).startsWith("BadNamex").hasSize(255);
            assertThat(user.profile().firstName()).hasSize(200);
        }
    }

    @EachDatabase
    void provisionWhenSameEmailInAnotherEnvironmentThenSeparateUsers(String kind) {
        try (Setup s = new Setup(kind)) {
            Directory a = s.directory(s.organization);
            Environment otherEnvironment = s.f.environment("other");
            Organization otherOrganization = s.u.organization(otherEnvironment.id(), "Acme B");
            Directory b = s.directory(otherOrganization);

            DirectoryUser inA = s.provision(a, "ada", "ada@example.com", true);
            DirectoryUser inB = s.provision(b, "ada", "ada@example.com", true);
            assertThat(inB.linkedUserId()).isNotEqualTo(inA.linkedUserId());
            assertThat(s.u.userRepository.findById(otherEnvironment.id(), inA.linkedUserId().orElseThrow())).isEmpty();
            assertThat(s.resources.usersLinkedTo(otherEnvironment.id(), inA.linkedUserId().orElseThrow())).isEmpty();

            s.delete(b, inB);
            assertThat(s.user(inA.linkedUserId().orElseThrow())).isPresent();
            assertThat(s.membership(s.organization, inA.linkedUserId().orElseThrow())).isPresent();
        }
    }
}
