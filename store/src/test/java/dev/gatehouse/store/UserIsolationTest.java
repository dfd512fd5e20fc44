package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.PageCursor;
import dev.gatehouse.core.shared.PageRequest;
import dev.gatehouse.core.user.Membership;
import dev.gatehouse.core.user.MembershipPatch;
import dev.gatehouse.core.user.NewMembership;
import dev.gatehouse.core.user.NewUser;
import dev.gatehouse.core.user.User;
import dev.gatehouse.core.user.UserPatch;
import dev.gatehouse.core.user.UserProfile;
import dev.gatehouse.core.user.UserRef;
import dev.gatehouse.core.user.UserView;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Environment B never sees or changes environment A's users and memberships, at the service and at the
 * repository level; and a membership in one organization is not reachable through another.
 */
class UserIsolationTest {
    private static final NewMembership DEFAULTS = NewMembership.defaults();

    @EachDatabase
    void usersWhenReadOrWrittenFromOtherEnvironmentThenNotFoundEmptyAndUnchanged(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            UserFixture u = new UserFixture(f);
            Environment a = f.environment("alpha");
            Environment b = f.environment("beta");
            Organization orgOfA = u.organization(a.id(), "Acme");
            UserView userOfA = u.users.createUserAndMembership(a.id(), orgOfA.id(),
                    new NewUser("ann@example.com", Optional.of("ext-ann"), Map.of("tier", "gold"), UserProfile.empty()),
                    DEFAULTS, true);
            String id = userOfA.user().id();
            UserRef byId = new UserRef.ById(id);
            UserRef byExternal = new UserRef.ByExternalId("ext-ann");

            for (UserRef ref : List.of(byId, byExternal)) {
                assertThatThrownBy(() -> u.users.get(b.id(), ref)).isInstanceOf(DomainException.NotFound.class);
                assertThatThrownBy(() -> u.users.update(b.id(), ref,
                        new UserPatch(Optional.of("stolen"), Optional.of(Map.of("tier", "none")), Optional.empty())))
                        .isInstanceOf(DomainException.NotFound.class);
                assertThatThrownBy(() -> u.users.delete(b.id(), ref)).isInstanceOf(DomainException.NotFound.class);
            }
            assertThat(u.users.list(b.id(), PageRequest.first(100)).items()).isEmpty();
            assertThat(u.users.list(b.id(), PageRequest.first(100)).totalSize()).isZero();
            assertThat(u.users.list(b.id(), new PageRequest(10, Optional.of(PageCursor.before("usr_99999999999999999"))))
                    .items()).isEmpty();
            // A's organization does not exist for B, so neither does its member list or its memberships.
            assertThatThrownBy(() -> u.users.listInOrganization(b.id(), orgOfA.id(), PageRequest.first(10)))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> u.users.createMembership(b.id(), orgOfA.id(), byId, DEFAULTS, false))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> u.users.updateMembership(b.id(), orgOfA.id(), byId,
                    new MembershipPatch(Optional.of(List.of("admin")), Optional.empty())))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> u.users.deleteMembership(b.id(), orgOfA.id(), byId, true))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> u.users.resendInvite(b.id(), orgOfA.id(), id))
                    .isInstanceOf(DomainException.NotFound.class);
            // B may create a user with the same email and external ID: uniqueness is per environment.
            Organization orgOfB = u.organization(b.id(), "Beta");
            UserView userOfB = u.users.createUserAndMembership(b.id(), orgOfB.id(),
                    new NewUser("ANN@example.com", Optional.of("ext-ann"), Map.of(), UserProfile.empty()), DEFAULTS, false);
            assertThatThrownBy(() -> u.users.createMembership(b.id(), orgOfA.id(), new UserRef.ById(userOfB.user().id()),
                    DEFAULTS, false)).isInstanceOf(DomainException.NotFound.class);

            // The repositories' own statements are scoped too.
            User movedToB = new User(id, b.id(), "x@example.com", true, Optional.empty(), Map.of(), UserProfile.empty(),
                    userOfA.user().createTime(), f.clock.instant(), Optional.empty());
            assertThat(u.userRepository.update(movedToB)).isFalse();
            assertThat(u.userRepository.delete(b.id(), id)).isFalse();
            assertThat(u.userRepository.findById(b.id(), id)).isEmpty();
            assertThat(u.userRepository.findWithMembership(b.id(), id, orgOfA.id())).isEmpty();
            assertThat(u.userRepository.findWithMembership(b.id(), id, orgOfB.id())).isEmpty();
            assertThat(u.userRepository.findByEmail(b.id(), "ann@example.com")).map(User::id).contains(userOfB.user().id());
            assertThat(u.membershipRepository.find(b.id(), orgOfA.id(), id)).isEmpty();
            assertThat(u.membershipRepository.listForUsers(b.id(), List.of(id))).isEmpty();
            Membership m = userOfA.memberships().getFirst();
            Membership movedMembership = new Membership(b.id(), m.organizationId(), m.userId(), Optional.empty(),
                    m.storedStatus(), List.of("admin"), Map.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), 0, Optional.empty(), m.createTime(), m.updateTime());
            assertThat(u.membershipRepository.update(movedMembership)).isFalse();
            assertThat(u.membershipRepository.delete(b.id(), orgOfA.id(), id)).isFalse();
            assertThat(u.membershipRepository.countForUser(b.id(), id)).isZero();

            assertThat(u.users.get(a.id(), byId)).isEqualTo(userOfA);
            assertThat(f.count("users", a.id())).isEqualTo(1);
            assertThat(f.count("memberships", a.id())).isEqualTo(1);
        }
    }

    @EachDatabase
    void userWithMembershipWhenReadThenOnlyTheNamedOrganizationsMembershipOfThatEnvironment(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            UserFixture u = new UserFixture(f);
            Environment a = f.environment("alpha");
            Environment b = f.environment("beta");
            Organization acme = u.organization(a.id(), "Acme");
            Organization globex = u.organization(a.id(), "Globex");
            Organization ofB = u.organization(b.id(), "Beta");
            UserView ann = u.users.createUserAndMembership(a.id(), acme.id(),
                    new NewUser("ann@example.com", Optional.empty(), Map.of(), UserProfile.empty()), DEFAULTS, false);
            String id = ann.user().id();

            var inAcme = u.userRepository.findWithMembership(a.id(), id, acme.id()).orElseThrow();
            assertThat(inAcme.user()).isEqualTo(u.userRepository.findById(a.id(), id).orElseThrow());
            assertThat(inAcme.membership()).contains(u.membershipRepository.find(a.id(), acme.id(), id).orElseThrow());
            assertThat(inAcme.membership().orElseThrow().organizationName()).contains("Acme");
            // A user without a membership in the named organization: the user, no membership.
            var inGlobex = u.userRepository.findWithMembership(a.id(), id, globex.id()).orElseThrow();
            assertThat(inGlobex.user().id()).isEqualTo(id);
            assertThat(inGlobex.membership()).isEmpty();
            // Another environment's organization or the user from another environment: nothing.
            assertThat(u.userRepository.findWithMembership(a.id(), id, ofB.id()).orElseThrow().membership()).isEmpty();
            assertThat(u.userRepository.findWithMembership(b.id(), id, acme.id())).isEmpty();
            assertThat(u.userRepository.findWithMembership(a.id(), "usr_1", acme.id())).isEmpty();

            // All memberships in one read: the same as the user and the membership list read apart.
            assertThat(u.userRepository.findWithMemberships(a.id(), id)).contains(new UserView(
                    u.userRepository.findById(a.id(), id).orElseThrow(), u.membershipRepository.listForUsers(a.id(), List.of(id))));
            u.users.createMembership(a.id(), globex.id(), new UserRef.ById(id), DEFAULTS, false);
            UserView inBoth = u.userRepository.findWithMemberships(a.id(), id).orElseThrow();
            assertThat(inBoth.memberships()).extracting(Membership::organizationId)
                    .containsExactlyElementsOf(java.util.stream.Stream.of(acme.id(), globex.id()).sorted().toList());
            assertThat(inBoth.memberships()).extracting(m -> m.organizationName().orElseThrow())
                    .containsExactlyInAnyOrder("Acme", "Globex");
            UserView bob = u.users.createUserAndMembership(b.id(), ofB.id(), UserFixture.newUser("bob@example.com"),
                    DEFAULTS, false);
            u.membershipRepository.delete(b.id(), ofB.id(), bob.user().id());
            assertThat(u.userRepository.findWithMemberships(b.id(), bob.user().id()))
                    .hasValueSatisfying(v -> assertThat(v.memberships()).as("no memberships").isEmpty());
            assertThat(u.userRepository.findWithMemberships(b.id(), id)).as("another environment's user").isEmpty();
            assertThat(u.userRepository.findWithMemberships(a.id(), "usr_1")).isEmpty();
        }
    }

    @EachDatabase
    void membershipWhenAddressedThroughOtherOrganizationThenNotFoundAndUnchanged(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            UserFixture u = new UserFixture(f);
            Environment env = f.environment("alpha");
            Organization a = u.organization(env.id(), "A");
            Organization b = u.organization(env.id(), "B");
            UserView member = u.users.createUserAndMembership(env.id(), a.id(), UserFixture.newUser("m@example.com"),
                    DEFAULTS, true);
            UserRef ref = new UserRef.ById(member.user().id());

            assertThatThrownBy(() -> u.users.updateMembership(env.id(), b.id(), ref,
                    new MembershipPatch(Optional.of(List.of("admin")), Optional.empty())))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> u.users.deleteMembership(env.id(), b.id(), ref, true))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> u.users.resendInvite(env.id(), b.id(), member.user().id()))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> u.users.membershipRoles(env.id(), b.id(), member.user().id()))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThat(u.users.listInOrganization(env.id(), b.id(), PageRequest.first(10)).items()).isEmpty();
            assertThat(u.users.get(env.id(), ref)).isEqualTo(member);
        }
    }
}
