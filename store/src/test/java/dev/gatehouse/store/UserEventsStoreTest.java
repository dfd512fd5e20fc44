package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.user.MembershipPatch;
import dev.gatehouse.core.user.NewMembership;
import dev.gatehouse.core.user.NewUser;
import dev.gatehouse.core.user.UserPatch;
import dev.gatehouse.core.user.UserProfile;
import dev.gatehouse.core.user.UserRef;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** user.* and membership.* events: one per change, in the change's transaction, with the documented payloads. */
class UserEventsStoreTest {
    private static List<OutboxStoreTest.Row> events(StoreFixture f, String environmentId) {
        return OutboxStoreTest.events(f, environmentId).stream()
                .filter(r -> r.type().startsWith("user.") || r.type().startsWith("membership."))
                .toList();
    }

    @EachDatabase
    void everyUserAndMembershipChangeEmitsItsEventInOrder(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            UserFixture u = new UserFixture(f);
            Environment env = f.environment("alpha");
            Organization acme = u.organization(env.id(), "Acme");
            Organization globex = u.organization(env.id(), "Globex");

            var created = u.users.createUserAndMembership(env.id(), acme.id(),
                    new NewUser("ann@example.com", Optional.of("ext-1"), Map.of("team", "red"),
                            new UserProfile("Ann", "Lee", "", "", "", "", "", "", "", "", List.of("eng"), Map.of(), Map.of())),
                    new NewMembership(List.of("admin"), Map.of(), Optional.of("boss@example.com")), true);
            String userId = created.user().id();
            UserRef ann = new UserRef.ById(userId);
            u.users.update(env.id(), ann, new UserPatch(Optional.empty(), Optional.of(Map.of("team", "blue")), Optional.empty()));
            u.users.createMembership(env.id(), globex.id(), ann, NewMembership.defaults(), false);
            u.users.updateMembership(env.id(), globex.id(), ann, new MembershipPatch(Optional.of(List.of("admin")), Optional.empty()));
            u.users.resendInvite(env.id(), acme.id(), userId);
            u.users.assignRoles(env.id(), globex.id(), userId, List.of("member"));
            u.users.removeRole(env.id(), globex.id(), userId, "member");
            u.users.deleteMembership(env.id(), acme.id(), ann, false);
            u.users.delete(env.id(), ann);

            List<OutboxStoreTest.Row> rows = events(f, env.id());
            assertThat(rows).extracting(OutboxStoreTest.Row::type).containsExactly(
                    "user.created", "membership.created", "user.updated", "membership.created", "membership.updated",
                    "membership.updated", "membership.updated", "membership.updated", "membership.deleted",
                    "membership.deleted", "user.deleted");
            assertThat(rows).extracting(OutboxStoreTest.Row::organizationId).containsExactly(
                    null, acme.id(), null, globex.id(), globex.id(), acme.id(), globex.id(), globex.id(), acme.id(),
                    globex.id(), null);

            assertThat(rows.get(0).data()).startsWith("{\"id\":\"" + userId + "\",\"email\":\"ann@example.com\","
                    + "\"email_verified\":false,\"external_id\":\"ext-1\",\"metadata\":{\"team\":\"red\"},"
                    + "\"user_profile\":{\"given_name\":\"Ann\",\"family_name\":\"Lee\"")
                    .contains("\"groups\":[\"eng\"]", "\"create_time\":\"", "\"update_time\":\"");
            assertThat(rows.get(1).data()).startsWith("{\"organization_id\":\"" + acme.id() + "\",\"user_id\":\"" + userId
                    + "\",\"email\":\"ann@example.com\",\"status\":\"PENDING_INVITE\",\"roles\":[\"admin\"]")
                    .contains("\"inviter_email\":\"boss@example.com\"", "\"join_time\":null", "\"invite_expire_time\":\"");
            assertThat(rows.get(2).data()).contains("\"metadata\":{\"team\":\"blue\"}");
            assertThat(rows.get(3).data()).contains("\"status\":\"ACTIVE\"", "\"roles\":[\"member\"]", "\"join_time\":\"");
            assertThat(rows.get(4).data()).contains("\"roles\":[\"admin\"]");
            assertThat(rows.get(6).data()).contains("\"roles\":[\"admin\",\"member\"]");
            assertThat(rows.get(7).data()).contains("\"roles\":[\"admin\"]");
            assertThat(rows.get(8).data()).isEqualTo("{\"organization_id\":\"" + acme.id() + "\",\"user_id\":\"" + userId
                    + "\",\"email\":\"ann@example.com\"}");
            assertThat(rows.get(10).data()).isEqualTo("{\"id\":\"" + userId
                    + "\",\"email\":\"ann@example.com\",\"external_id\":\"ext-1\"}");
        }
    }

    @EachDatabase
    void cascadeDeleteOfTheLastMembershipEmitsUserDeletedToo(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            UserFixture u = new UserFixture(f);
            Environment env = f.environment("alpha");
            Organization acme = u.organization(env.id(), "Acme");
            String userId = u.users.createUserAndMembership(env.id(), acme.id(), UserFixture.newUser("bo@example.com"),
                    NewMembership.defaults(), false).user().id();

            u.users.deleteMembership(env.id(), acme.id(), new UserRef.ById(userId), true);

            assertThat(events(f, env.id())).extracting(OutboxStoreTest.Row::type)
                    .containsExactly("user.created", "membership.created", "membership.deleted", "user.deleted");
        }
    }

    @EachDatabase
    void aRefusedChangeEmitsNothingAndEventsStayInTheirEnvironment(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            UserFixture u = new UserFixture(f);
            Environment a = f.environment("alpha");
            Environment b = f.environment("beta");
            Organization acme = u.organization(a.id(), "Acme");
            u.users.createUserAndMembership(a.id(), acme.id(), UserFixture.newUser("cy@example.com"),
                    NewMembership.defaults(), false);

            assertThatThrownBy(() -> u.users.createUserAndMembership(a.id(), acme.id(),
                    UserFixture.newUser("CY@example.com"), NewMembership.defaults(), false))
                    .isInstanceOf(DomainException.AlreadyExists.class);
            assertThatThrownBy(() -> u.users.createMembership(b.id(), acme.id(),
                    new UserRef.ByExternalId("nobody"), NewMembership.defaults(), false))
                    .isInstanceOf(DomainException.NotFound.class);

            assertThat(events(f, a.id())).extracting(OutboxStoreTest.Row::type)
                    .containsExactly("user.created", "membership.created");
            assertThat(events(f, b.id())).isEmpty();
        }
    }
}
