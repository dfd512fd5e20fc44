package dev.gatehouse.oauth.key;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.core.key.SigningKeyService;
import dev.gatehouse.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyRingTest {
    private static final String ENVIRONMENT = "env_1";
    private static final String OTHER_ENVIRONMENT = "env_2";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final SigningKeyService keys = InMemorySigningKeys.service(clock);
    private final KeyRing ring = new KeyRing(keys, clock,
            RsaSigners.select(new RsaSigningSettings(Optional.of(RsaEngine.JDK), Optional.empty())));

    @Test
    void theSignerIsMadeOncePerKeyAndKeptAcrossRereads() throws Exception {
        keys.rotate(ENVIRONMENT, Duration.ZERO);
        KeyRing.ActiveKey first = ring.keys(ENVIRONMENT).active().orElseThrow();

        clock.advance(KeyRing.REFRESH_INTERVAL.plusSeconds(1));
        KeyRing.EnvironmentKeys reread = ring.keys(ENVIRONMENT);

        assertThat(reread.active()).containsSame(first);
        assertThat(verifies(reread, sign(first))).isTrue();
    }

    @Test
    void aRotationSeenAtTheNextRereadGetsANewSigner() throws Exception {
        keys.rotate(ENVIRONMENT, Duration.ZERO);
        KeyRing.ActiveKey first = ring.keys(ENVIRONMENT).active().orElseThrow();

        keys.rotate(ENVIRONMENT, Duration.ZERO);
        clock.advance(KeyRing.REFRESH_INTERVAL.plusSeconds(1));
        KeyRing.EnvironmentKeys reread = ring.keys(ENVIRONMENT);

        KeyRing.ActiveKey second = reread.active().orElseThrow();
        assertThat(second.kid()).isNotEqualTo(first.kid());
        assertThat(second.signer()).isNotSameAs(first.signer());
        assertThat(verifies(reread, sign(second))).isTrue();
        assertThat(verifies(reread, sign(first))).as("the retired key stays published").isTrue();
    }

    @Test
    void inMemoryAnswersOnlyFromAFreshCopyAndPerEnvironment() {
        keys.rotate(ENVIRONMENT, Duration.ZERO);
        keys.rotate(OTHER_ENVIRONMENT, Duration.ZERO);
        assertThat(ring.inMemory(ENVIRONMENT)).as("nothing loaded yet").isEmpty();

        KeyRing.EnvironmentKeys loaded = ring.keys(ENVIRONMENT);
        assertThat(ring.inMemory(ENVIRONMENT)).containsSame(loaded);
        assertThat(ring.inMemory(OTHER_ENVIRONMENT)).as("another environment's keys are not loaded by this").isEmpty();

        clock.advance(KeyRing.REFRESH_INTERVAL.plusMillis(1));
        assertThat(ring.inMemory(ENVIRONMENT)).as("copy older than the refresh interval").isEmpty();
    }

    @Test
    void environmentsNeverShareKeys() throws Exception {
        keys.rotate(ENVIRONMENT, Duration.ZERO);
        keys.rotate(OTHER_ENVIRONMENT, Duration.ZERO);
        KeyRing.ActiveKey mine = ring.keys(ENVIRONMENT).active().orElseThrow();
        KeyRing.EnvironmentKeys theirs = ring.keys(OTHER_ENVIRONMENT);

        assertThat(theirs.active().orElseThrow().kid()).isNotEqualTo(mine.kid());
        assertThat(theirs.verificationKeys()).doesNotContainKey(mine.kid());
    }

    private static SignedJWT sign(KeyRing.ActiveKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm()).keyID(key.kid()).build(),
                new JWTClaimsSet.Builder().subject("usr_1").build());
        jwt.sign(key.signer());
        return jwt;
    }

    private static boolean verifies(KeyRing.EnvironmentKeys keys, SignedJWT jwt) throws Exception {
        return jwt.verify(new RSASSAVerifier(keys.verificationKeys().get(jwt.getHeader().getKeyID())));
    }
}
