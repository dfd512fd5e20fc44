package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.login.UserIdentity;
import dev.gatehouse.core.user.User;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Linked identities read for a page of users in one query (D-PR1), and a federated sign-in's custom attributes on
 * the user (D-PR2), on H2 and PostgreSQL.
 */
class UserIdentityStoreTest {

    private static UserIdentity identity(StoreFixture f, String environmentId, String userId, String connectionId) {
        return new UserIdentity(environmentId, userId, connectionId, "subject-" + userId, Optional.of("org_1"), "SAML",
                "OKTA", false, "ada@acme.example", Map.of("employeeNumber", "1729"), f.clock.instant(), f.clock.instant());
    }

    @EachDatabase
    void identitiesOfAPageOfUsersComeGroupedByUserOldestLinkFirstAndOnlyFromTheirEnvironment(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            UserFixture u = new UserFixture(f);
            Environment alpha = f.environment("alpha");
            Environment beta = f.environment("beta");
            String ada = u.users.signUp(alpha.id(), "ada@acme.example").id();
            String bob = u.users.signUp(alpha.id(), "bob@acme.example").id();
            String none = u.users.signUp(alpha.id(), "none@acme.example").id();
            String other = u.users.signUp(beta.id(), "ada@acme.example").id();
            JdbiUserIdentityRepository identities = new JdbiUserIdentityRepository(f.tx);
            identities.save(identity(f, alpha.id(), ada, "conn_1"));
            f.clock.advance(Duration.ofSeconds(1));
            identities.save(identity(f, alpha.id(), ada, "conn_0"));
            identities.save(identity(f, alpha.id(), bob, "conn_1"));
            identities.save(identity(f, beta.id(), other, "conn_9"));

            Map<String, List<UserIdentity>> byUser = identities.listForUsers(alpha.id(), List.of(ada, bob, none, other));

            assertThat(byUser).containsOnlyKeys(ada, bob);
            assertThat(byUser.get(ada)).extracting(UserIdentity::connectionId).containsExactly("conn_1", "conn_0");
            assertThat(byUser.get(bob)).singleElement()
                    .satisfies(i -> assertThat(i.rawAttributes()).containsEntry("employeeNumber", "1729"));
            assertThat(identities.listForUsers(alpha.id(), List.of())).isEmpty();
        }
    }

    @EachDatabase
    void assertedCustomAttributesOverwriteTheMappedOnesKeepTheRestAndLeaveOutWhatTheApiWouldRefuse(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            UserFixture u = new UserFixture(f);
            Environment env = f.environment("alpha");
            User ada = u.users.signUp(env.id(), "ada@acme.example");
            User withApiValue = u.users.applyAssertedCustomAttributes(ada, Map.of("cost_center", "42"));

            User signedIn = u.users.applyAssertedCustomAttributes(withApiValue, Map.of("employee_number", "1729",
                    "x", "key too short", "department", "v".repeat(257), "cost_center", "43"));

            assertThat(signedIn.profile().customAttributes())
                    .containsExactlyInAnyOrderEntriesOf(Map.of("employee_number", "1729", "cost_center", "43"));
            assertThat(u.userRepository.findById(env.id(), ada.id()).orElseThrow().profile().customAttributes())
                    .isEqualTo(signedIn.profile().customAttributes());
            long updates = OutboxStoreTest.events(f, env.id()).stream().filter(r -> r.type().equals("user.updated")).count();
            assertThat(u.users.applyAssertedCustomAttributes(signedIn, Map.of("employee_number", "1729")))
                    .as("nothing changed: nothing written").isSameAs(signedIn);
            assertThat(OutboxStoreTest.events(f, env.id()).stream().filter(r -> r.type().equals("user.updated")).count())
                    .isEqualTo(updates).isEqualTo(2);
        }
    }
}
