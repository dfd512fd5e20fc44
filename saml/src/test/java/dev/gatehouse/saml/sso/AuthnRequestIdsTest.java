package dev.gatehouse.saml.sso;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.saml.request.AuthnRequestSpec;
import dev.gatehouse.saml.request.AuthnRequests;
import dev.gatehouse.saml.testing.TestKeys;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthnRequestIdsTest {
    private static final byte[] MASTER = new byte[32];
    private final AuthnRequestIds ids = AuthnRequestIds.fromMasterKey(MASTER);

    @Test
    void theIdIsStablePerLoginAndDiffersByLoginConnectionEnvironmentAndKey() {
        String id = ids.idFor("env_1", "conn_1", "lgn_1");
        assertThat(id).matches("id-[0-9a-f]{40}").isEqualTo(ids.idFor("env_1", "conn_1", "lgn_1"));
        assertThat(ids.idFor("env_1", "conn_1", "lgn_2")).isNotEqualTo(id);
        assertThat(ids.idFor("env_1", "conn_2", "lgn_1")).isNotEqualTo(id);
        assertThat(ids.idFor("env_2", "conn_1", "lgn_1")).isNotEqualTo(id);
        byte[] other = Arrays.copyOf(MASTER, 32);
        other[0] = 1;
        assertThat(AuthnRequestIds.fromMasterKey(other).idFor("env_1", "conn_1", "lgn_1")).isNotEqualTo(id);
    }

    @Test
    void authnRequestsCarryTheGivenIdOnBothBindingsAndRefuseANonNcName() {
        AuthnRequests requests = new AuthnRequests();
        AuthnRequestSpec spec = new AuthnRequestSpec("https://sp.example/metadata", "https://sp.example/callback",
                "https://idp.example/sso", Optional.empty(), false, Optional.empty());
        String id = ids.idFor("env_1", "conn_1", "lgn_1");
        assertThat(requests.redirect(spec, id, Optional.of("lgn_1"), Optional.of(TestKeys.SP), Instant.now()).requestId())
                .isEqualTo(id);
        assertThat(requests.post(spec, id, Optional.of("lgn_1"), Optional.empty(), Instant.now()).requestId()).isEqualTo(id);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> requests.post(spec, "1-not-an-ncname", Optional.empty(),
                Optional.empty(), Instant.now())).isInstanceOf(IllegalArgumentException.class);
    }
}
