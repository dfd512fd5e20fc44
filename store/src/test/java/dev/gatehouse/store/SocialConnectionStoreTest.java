package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.key.SecretSealer;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.social.SocialConnection;
import dev.gatehouse.core.social.SocialConnectionInput;
import dev.gatehouse.core.social.SocialConnectionService;
import java.util.List;
import java.util.Optional;

/** Social login settings on H2 and PostgreSQL: sealed secrets, defaults, replacement, and one environment apart. */
class SocialConnectionStoreTest {

    private static SocialConnectionService service(StoreFixture f) {
        return new SocialConnectionService(new JdbiSocialConnectionRepository(f.tx), new SecretSealer(new byte[32]), f.clock);
    }

    private static SocialConnectionInput github(Optional<String> secret, List<String> scopes) {
        return new SocialConnectionInput("github", "Iv1.client", secret, scopes, Optional.empty(), Optional.empty(),
                Optional.of("http://127.0.0.1:9999/api"), true);
    }

    @EachDatabase
    void settingsAreStoredWithASealedSecretAndReplacedByAPut(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment alpha = f.environment("alpha");
            SocialConnectionService social = service(f);
            social.put(alpha.id(), github(Optional.of("gh-secret"), List.of()));
            SocialConnection stored = social.get(alpha.id(), "github");
            assertThat(stored.clientSecret().base64()).doesNotContain("gh-secret");
            assertThat(social.clientSecret(stored)).isEqualTo("gh-secret");
            assertThat(stored.effectiveScopes()).containsExactly("read:user", "user:email");
            assertThat(stored.effectiveAuthorizeUrl()).isEqualTo("https://github.com/login/oauth/authorize");
            assertThat(stored.effectiveProfileUrl()).isEqualTo("http://127.0.0.1:9999/api");

            f.clock.advance(java.time.Duration.ofSeconds(5));
            social.put(alpha.id(), github(Optional.empty(), List.of("read:user")));
            SocialConnection replaced = social.get(alpha.id(), "github");
            assertThat(social.clientSecret(replaced)).as("an empty secret keeps the stored one").isEqualTo("gh-secret");
            assertThat(replaced.scopes()).containsExactly("read:user");
            assertThat(replaced.createTime()).isEqualTo(stored.createTime());
            assertThat(replaced.updateTime()).isAfter(stored.updateTime());
            assertThat(social.active(alpha.id(), "github")).isPresent();
            assertThat(social.active(alpha.id(), "google")).isEmpty();

            assertThatThrownBy(() -> social.put(alpha.id(), new SocialConnectionInput("google", "", Optional.empty(),
                    List.of("bad scope"), Optional.of("ftp://x"), Optional.empty(), Optional.empty(), true)))
                    .isInstanceOfSatisfying(DomainException.InvalidArgument.class, e -> assertThat(e.violations())
                            .extracting(v -> v.field()).containsExactly("client_id", "client_secret", "scopes", "authorize_url"));
            social.delete(alpha.id(), "github");
            assertThat(social.list(alpha.id())).isEmpty();
        }
    }

    @EachDatabase
    void anotherEnvironmentCannotSeeChangeOrDeleteTheSettings(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment alpha = f.environment("alpha");
            Environment beta = f.environment("beta");
            SocialConnectionService social = service(f);
            social.put(alpha.id(), github(Optional.of("gh-secret"), List.of()));
            assertThat(social.list(beta.id())).isEmpty();
            assertThat(social.active(beta.id(), "github")).isEmpty();
            assertThatThrownBy(() -> social.get(beta.id(), "github")).isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> social.delete(beta.id(), "github")).isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> social.put(beta.id(), github(Optional.empty(), List.of())))
                    .as("a first put needs the secret, another environment's does not count")
                    .isInstanceOf(DomainException.InvalidArgument.class);
            assertThat(social.list(alpha.id())).hasSize(1);
        }
    }
}
