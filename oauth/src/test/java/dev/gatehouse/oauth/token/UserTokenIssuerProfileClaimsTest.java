package dev.gatehouse.oauth.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.user.User;
import dev.gatehouse.core.user.UserProfile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UserTokenIssuerProfileClaimsTest {
    private static User user(UserProfile profile) {
        Instant t = Instant.parse("2026-01-02T03:04:05Z");
        return new User("usr_1", "env_1", "bob@example.com", true, Optional.empty(), Map.of(), profile, t, t,
                Optional.empty());
    }

    private static UserProfile profile(String givenName, String familyName, String name, String firstName,
                                       String lastName) {
        return new UserProfile(givenName, familyName, name, "", "", firstName, lastName, "", "", "", List.of(),
                Map.of(), Map.of());
    }

    @Test
    void profileClaimsWhenOnlyFirstAndLastNameAreSetThenNameIsBuiltFromThem() {
        // What the SDK's createUserAndMembership({userProfile: {firstName, lastName}}) stores.
        Map<String, Object> claims = UserTokenIssuer.profileClaims(user(profile("", "", "", "Bob", "Builder")));

        assertThat(claims).containsEntry("name", "Bob Builder").containsEntry("given_name", "Bob")
                .containsEntry("family_name", "Builder");
    }

    @Test
    void profileClaimsWhenNameAndGivenNamesAreSetThenTheyWinOverFirstAndLastName() {
        Map<String, Object> claims = UserTokenIssuer.profileClaims(user(profile("Robert", "B.", "Bobby", "Bob", "Builder")));

        assertThat(claims).containsEntry("name", "Bobby").containsEntry("given_name", "Robert")
                .containsEntry("family_name", "B.");
    }

    @Test
    void profileClaimsWhenNoNamesAreSetThenNoNameClaims() {
        Map<String, Object> claims = UserTokenIssuer.profileClaims(user(UserProfile.empty()));

        assertThat(claims).doesNotContainKeys("name", "given_name", "family_name").containsKey("updated_at");
    }
}
