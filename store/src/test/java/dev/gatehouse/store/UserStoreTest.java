package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationRef;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import dev.gatehouse.core.user.Membership;
import dev.gatehouse.core.user.MembershipPatch;
import dev.gatehouse.core.user.MembershipStatus;
import dev.gatehouse.core.user.NewMembership;
import dev.gatehouse.core.user.NewUser;
import dev.gatehouse.core.user.Role;
import dev.gatehouse.core.user.UserPatch;
import dev.gatehouse.core.user.UserProfile;
import dev.gatehouse.core.user.UserRef;
import dev.gatehouse.core.user.UserService;
import dev.gatehouse.core.user.UserView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Users, memberships, invitations and roles on each database. */
class UserStoreTest {
    private static final NewMembership DEFAULTS = NewMembership.defaults();

    @EachDatabase
    void createUserAndMembershipWhenValidThenStoredWithProfileMetadataAndDefaultRole(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            UserFixture u = new UserFixture(f);
            Environment env = f.environment("alpha");
            Organization org = u.organization(env.id(), "Acme");
            UserProfile profile = new UserProfile("Ada", "Lovelace", "Ada Lovelace", "en-GB", "+447700900123", "Ada",
                    "Lovelace", "ada", "https://example.com/a.png", "female", List.of("eng", "ops"),
                    Map.of("team", "core"), Map.of("department", "R&D"));
            UserView created = u.users.createUserAndMembership(env.id(), org.id(),
                    new NewUser("Ada@Example.com", Optional.of("ext-ada"), Map.of("plan", "pro"), profile),
                    DEFAULTS, false);

            UserView read = u.users.get(env.id(), new UserRef.ById(created.user().id()));
            assertThat(read).isEqualTo(created);
            assertThat(read.user().id()).startsWith("usr_");
            assertThat(read.user().email()).isEqualTo("Ada@Example.com");
            assertThat(read.user().emailVerified()).isTrue();
            assertThat(read.user().profile()).isEqualTo(profile);
            assertThat(read.user().metadata()).containsExactly(Map.entry("plan", "pro"));
            Membership m = read.memberships().getFirst();
            assertThat(m.organizationId()).isEqualTo(org.id());
            assertThat(m.organizationName()).contains("Acme");
            assertThat(m.status(f.clock.instant())).isEqualTo(MembershipStatus.ACTIVE);
            assertThat(m.roles()).containsExactly(UserService.MEMBER_ROLE);
            assertThat(m.joinTime()).isPresent();
            assertThat(u.users.get(env.id(), new UserRef.ByExternalId("ext-ada"))).isEqualTo(read);
            assertThat(u.users.roles(env.id())).extracting(Role::name).containsExactly("admin", "member");
        }
    }

    @EachDatabase
    void createUserAndMembershipWhenEmailTakenInAnyCaseThenAlreadyExistsAndNothingWritten(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            UserFixture u = new UserFixture(f);
            Environment env = f.environment("alpha");
            Organization org = u.organization(env.id(), "Acme");
            Organization other = u.organization(env.id(), "Other");
            u.users.createUserAndMembership(env.id(), org.id(), UserFixture.newUser("bob@example.com"), DEFAULTS, true);

            assertThatThrownBy(() -> u.users.createUserAndMembership(env.id(), other.id(),
                    UserFixture.newUser("BOB@example.COM"), DEFAULTS, true))
                    .isInstanceOfSatisfying(DomainException.AlreadyExists.class, e -> assertThat(e.field()).isEqualTo("email"));
            assertThat(f.count("users", env.id())).isEqualTo(1);
            assertThat(f.count("memberships", env.id())).isEqualTo(1);

            // A failing membership (unknown organization) rolls the user back too.
            assertThatThrownBy(() -> u.users.createUserAndMembership(env.id(), "org_404",
                    UserFixture.newUser("carol@example.com"), DEFAULTS, true))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThat(f.count("users", env.id())).isEqualTo(1);
        }
    }

    @EachDatabase
    void createUserAndMembershipWhenInvalidThenInvalidArgumentNamingFieldsAndNothingWritten(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            UserFixture u = new UserFixture(f);
            Environment env = f.environment("alpha");
            Organization org = u.organization(env.id(), "Acme");
            Map<String, String> tooMany = new java.util.HashMap<>();
            for (int i = 0; i < 21; i++) {
                tooMany.put("key" + i, "v");
            }
            assertThatThrownBy(() -> u.users.createUserAndMembership(env.id(), org.id(),
                    new NewUser("not-an-email", Optional.of(""), tooMany, UserProfile.empty()),
                    new NewMembership(List.of("owner"), Map.of(), Optional.empty()), true))
                    .isInstanceOfSatisfying(DomainException.InvalidArgument.class, e ->
                            assertThat(e.violations()).extracting(v -> v.field()).contains(
                                    "user.email", "user.external_id", "user.metadata", "user.membership.roles"));
            assertThat(f.count("users", env.id())).isZero();
        }
    }

    @EachDatabase
    void invitationWhenSentThenPendingUntilFifteenDaysThenExpiredAndResendRenews(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            UserFixture u = new UserFixture(f);
            Environment env = f.environment("alpha");
            Organization org = u.organization(env.id(), "Acme");
            UserView invited = u.users.createUserAndMembership(env.id(), org.id(), UserFixture.newUser("dan@example.com"),
                    new NewMembership(List.of("admin"), Map.of(), Optional.of("boss@example.com")), true);
            Membership m = invited.memberships().getFirst();
            assertThat(invited.user().emailVerified()).isFalse();
            assertThat(m.status(f.clock.instant())).isEqualTo(MembershipStatus.PENDING_INVITE);
            assertThat(m.inviterEmail()).contains("boss@example.com");
            assertThat(m.roles()).containsExactly("admin");
            assertThat(Duration.between(m.inviteCreateTime().orElseThrow(), m.inviteExpireTime().orElseThrow()))
                    .isEqualTo(Duration.ofDays(15));

            f.clock.advance(Duration.ofDays(15));
            Membership later = u.users.get(env.id(), new UserRef.ById(invited.user().id())).memberships().getFirst();
            assertThat(later.status(f.clock.instant())).isEqualTo(MembershipStatus.INVITE_EXPIRED);

            Membership renewed = u.users.resendInvite(env.id(), org.id(), invited.user().id());
            assertThat(renewed.status(f.clock.instant())).isEqualTo(MembershipStatus.PENDING_INVITE);
            assertThat(renewed.resentCount()).isEqualTo(1);
            assertThat(u.membershipRepository.find(env.id(), org.id(), invited.user().id())).contains(renewed);
        }
    }

    @EachDatabase
    void resendInviteWhenMembershipActiveThenFailedPrecondition(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            UserFixture u = new UserFixture(f);
            Environment env = f.environment("alpha");
            Organization org = u.organization(env.id(), "Acme");
            UserView active = u.users.createUserAndMembership(env.id(), org.id(), UserFixture.newUser("e@example.com"), DEFAULTS, false);
            assertThatThrownBy(() -> u.users.resendInvite(env.id(), org.id(), active.user().id()))
                    .isInstanceOf(DomainException.FailedPrecondition.class);
        }
    }

    @EachDatabase
    void membershipsWhenAddedUpdatedAndRemovedThenUserKeepsOthersAndCascadeDeletesLastOne(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            UserFixture u = new UserFixture(f);
            Environment env = f.environment("alpha");
            Organization a = u.organization(env.id(), "A");
            Organization b = u.organization(env.id(), "B");
            UserView user = u.users.createUserAndMembership(env.id(), a.id(), UserFixture.newUser("f@example.com"), DEFAULTS, false);
            UserRef ref = new UserRef.ById(user.user().id());

            UserView both = u.users.createMembership(env.id(), b.id(), ref, DEFAULTS, false);
            assertThat(both.memberships()).extracting(Membership::organizationId).containsExactlyInAnyOrder(a.id(), b.id());
            assertThatThrownBy(() -> u.users.createMembership(env.id(), b.id(), ref, DEFAULTS, false))
                    .isInstanceOf(DomainException.AlreadyExists.class);

            UserView promoted = u.users.updateMembership(env.id(), b.id(), ref,
                    new MembershipPatch(Optional.of(List.of("admin")), Optional.of(Map.of("seat", "12"))));
            Membership inB = promoted.memberships().stream().filter(m -> m.organizationId().equals(b.id())).findFirst().orElseThrow();
            assertThat(inB.roles()).containsExactly("admin");
            assertThat(inB.metadata()).containsExactly(Map.entry("seat", "12"));
            assertThat(u.users.membershipRoles(env.id(), b.id(), user.user().id())).extracting(Role::name).containsExactly("admin");
            assertThatThrownBy(() -> u.users.updateMembership(env.id(), b.id(), ref,
                    new MembershipPatch(Optional.of(List.of("root")), Optional.empty())))
                    .isInstanceOf(DomainException.InvalidArgument.class);

            u.users.deleteMembership(env.id(), a.id(), ref, true);
            assertThat(u.users.get(env.id(), ref).memberships()).extracting(Membership::organizationId).containsExactly(b.id());
            assertThatThrownBy(() -> u.users.deleteMembership(env.id(), a.id(), ref, false))
                    .isInstanceOf(DomainException.NotFound.class);
            u.users.deleteMembership(env.id(), b.id(), ref, true);
            assertThatThrownBy(() -> u.users.get(env.id(), ref)).isInstanceOf(DomainException.NotFound.class);
        }
    }

    @EachDatabase
    void deleteWhenOrganizationOrUserDeletedThenNoOrphanMemberships(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            UserFixture u = new UserFixture(f);
            Environment env = f.environment("alpha");
            Organization a = u.organization(env.id(), "A");
            Organization b = u.organization(env.id(), "B");
            UserView g = u.users.createUserAndMembership(env.id(), a.id(), UserFixture.newUser("g@example.com"), DEFAULTS, false);
            u.users.createMembership(env.id(), b.id(), new UserRef.ById(g.user().id()), DEFAULTS, false);
            UserView h = u.users.createUserAndMembership(env.id(), a.id(), UserFixture.newUser("h@example.com"), DEFAULTS, false);

            f.organizations.delete(env.id(), new OrganizationRef.ById(a.id()));
            assertThat(f.count("memberships", env.id())).isEqualTo(1);
            assertThat(u.users.get(env.id(), new UserRef.ById(h.user().id())).memberships()).isEmpty();

            u.users.delete(env.id(), new UserRef.ById(g.user().id()));
            assertThat(f.count("memberships", env.id())).isZero();
            assertThat(f.count("users", env.id())).isEqualTo(1);
        }
    }

    @EachDatabase
    void updateWhenPartialThenOnlyPresentFieldsChangeAndEmailIsKept(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            UserFixture u = new UserFixture(f);
            Environment env = f.environment("alpha");
            Organization org = u.organization(env.id(), "Acme");
            UserView created = u.users.createUserAndMembership(env.id(), org.id(),
                    new NewUser("i@example.com", Optional.of("ext-i"), Map.of("plan", "free"), UserProfile.empty()),
                    DEFAULTS, false);
            f.clock.advance(Duration.ofMinutes(1));
            UserPatch.ProfilePatch names = new UserPatch.ProfilePatch(Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.of("Ivy"), Optional.of("Ito"), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
            UserView updated = u.users.update(env.id(), new UserRef.ByExternalId("ext-i"),
                    new UserPatch(Optional.of(""), Optional.empty(), Optional.of(names)));
            assertThat(updated.user().externalId()).isEmpty();
            assertThat(updated.user().metadata()).containsExactly(Map.entry("plan", "free"));
            assertThat(updated.user().profile().firstName()).isEqualTo("Ivy");
            assertThat(updated.user().email()).isEqualTo("i@example.com");
            assertThat(updated.user().updateTime()).isAfter(created.user().updateTime());
            assertThat(u.users.get(env.id(), new UserRef.ById(created.user().id()))).isEqualTo(updated);
        }
    }

    @EachDatabase
    void listWhenTwentyFiveUsersThenPagesInIdOrderAndOrganizationListingOnlyHoldsMembers(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            UserFixture u = new UserFixture(f);
            Environment env = f.environment("alpha");
            Organization a = u.organization(env.id(), "A");
            Organization b = u.organization(env.id(), "B");
            List<String> created = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                f.clock.advance(Duration.ofMillis(1));
                created.add(u.users.createUserAndMembership(env.id(), i % 2 == 0 ? a.id() : b.id(),
                        UserFixture.newUser("user" + i + "@example.com"), DEFAULTS, false).user().id());
            }
            List<String> seen = new ArrayList<>();
            Page<UserView> page = u.users.list(env.id(), PageRequest.first(10));
            seen.addAll(page.items().stream().map(v -> v.user().id()).toList());
            while (page.next().isPresent()) {
                page = u.users.list(env.id(), new PageRequest(10, page.next()));
                seen.addAll(page.items().stream().map(v -> v.user().id()).toList());
            }
            assertThat(seen).containsExactlyElementsOf(created);
            assertThat(page.totalSize()).isEqualTo(25);

            Page<UserView> inA = u.users.listInOrganization(env.id(), a.id(), PageRequest.first(100));
            assertThat(inA.totalSize()).isEqualTo(13);
            assertThat(inA.items()).allSatisfy(v -> assertThat(v.memberships())
                    .extracting(Membership::organizationId).containsExactly(a.id()));
            assertThatThrownBy(() -> u.users.listInOrganization(env.id(), "org_404", PageRequest.first(10)))
                    .isInstanceOf(DomainException.NotFound.class);
        }
    }

    @EachDatabase
    void createMembershipWhenOrganizationFullThenFailedPrecondition(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            UserFixture u = new UserFixture(f);
            Environment env = f.environment("alpha");
            Organization org = u.organization(env.id(), "Tiny");
            f.organizations.updateMaxAllowedUsers(env.id(), org.id(), Optional.of(1));
            u.users.createUserAndMembership(env.id(), org.id(), UserFixture.newUser("j@example.com"), DEFAULTS, false);
            assertThatThrownBy(() -> u.users.createUserAndMembership(env.id(), org.id(),
                    UserFixture.newUser("k@example.com"), DEFAULTS, false))
                    .isInstanceOf(DomainException.FailedPrecondition.class);
            assertThat(f.count("users", env.id())).isEqualTo(1);
        }
    }

    @EachDatabase
    void searchWhenQueryMatchesEmailIdOrExternalIdThenThoseOnlyCaseInsensitiveAndLikeCharactersLiteral(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            UserFixture u = new UserFixture(f);
            Environment env = f.environment("alpha");
            Organization a = u.organization(env.id(), "A");
            Organization b = u.organization(env.id(), "B");
            UserView x = u.users.createUserAndMembership(env.id(), a.id(),
                    new NewUser("Xavier_1@example.com", Optional.of("EXT-X"), Map.of(), UserProfile.empty()), DEFAULTS, false);
            UserView y = u.users.createUserAndMembership(env.id(), b.id(), UserFixture.newUser("xavier21@example.com"), DEFAULTS, false);

            assertThat(u.users.search(env.id(), "XAVIER", PageRequest.first(10)).items()).containsExactly(x, y);
            assertThat(u.users.search(env.id(), "ier_", PageRequest.first(10)).items()).containsExactly(x);
            assertThat(u.users.search(env.id(), "ext-x", PageRequest.first(10)).items()).containsExactly(x);
            assertThat(u.users.search(env.id(), y.user().id(), PageRequest.first(10)).items()).containsExactly(y);
            assertThat(u.users.searchInOrganization(env.id(), b.id(), "xavier", PageRequest.first(10)).items()).containsExactly(y);
            assertThat(u.users.search(f.environment("beta").id(), "xavier", PageRequest.first(10)).items()).isEmpty();
            assertThatThrownBy(() -> u.users.search(env.id(), " x ", PageRequest.first(10)))
                    .isInstanceOf(DomainException.InvalidArgument.class);
        }
    }

    @EachDatabase
    void assignRolesWhenNewRoleThenAddedAndRemoveRoleTakesItAway(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            UserFixture u = new UserFixture(f);
            Environment env = f.environment("alpha");
            Organization org = u.organization(env.id(), "A");
            String id = u.users.createUserAndMembership(env.id(), org.id(), UserFixture.newUser("r@example.com"), DEFAULTS, false)
                    .user().id();
            assertThat(u.users.assignRoles(env.id(), org.id(), id, List.of("admin", "admin")))
                    .extracting(Role::name).containsExactly("member", "admin");
            u.users.removeRole(env.id(), org.id(), id, "member");
            assertThat(u.users.membershipRoles(env.id(), org.id(), id)).extracting(Role::name).containsExactly("admin");
            assertThatThrownBy(() -> u.users.removeRole(env.id(), org.id(), id, "member"))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> u.users.assignRoles(env.id(), org.id(), id, List.of()))
                    .isInstanceOf(DomainException.InvalidArgument.class);
        }
    }
}
