package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.key.SecretSealer;
import dev.gatehouse.core.key.SigningKey;
import dev.gatehouse.core.key.SigningKeyService;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Signing key rotation, publication window and sealing of private keys, against a real database. */
class SigningKeyServiceStoreTest {
    @EachDatabase
    void rotateWhenFirstKeyThenActiveAndPublished(String kind) throws Exception {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");

            SigningKey key = f.keys.rotate(env.id());

            assertThat(key.kid()).matches("snk_\\d{17}");
            assertThat(key.algorithm()).isEqualTo("RS256");
            assertThat(key.state()).isEqualTo(SigningKey.KeyState.ACTIVE);
            assertThat(key.retireTime()).isEmpty();
            assertThat(key.createTime()).isEqualTo(StoreFixture.START.truncatedTo(ChronoUnit.MICROS));
            List<SigningKey> published = f.keys.published(env.id());
            assertThat(published).singleElement().satisfies(stored -> {
                assertThat(stored.kid()).isEqualTo(key.kid());
                assertThat(stored.publicKeyDer()).isEqualTo(key.publicKeyDer());
                assertThat(stored.sealedPrivateKey()).isEqualTo(key.sealedPrivateKey());
                assertThat(stored.createTime()).isEqualTo(key.createTime());
                assertThat(stored.retireTime()).isEmpty();
            });
            assertThat(publicKey(key)).isInstanceOfSatisfying(RSAPublicKey.class,
                    rsa -> assertThat(rsa.getModulus().bitLength()).isEqualTo(2048));
        }
    }

    @EachDatabase
    void rotateWhenKeyExistsThenNewKeyIsPublishedFirstAndSignsOnlyAfterTheLead(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            SigningKey first = f.keys.rotate(env.id(), Duration.ZERO);
            f.clock.advance(Duration.ofHours(1));

            SigningKey second = f.keys.rotate(env.id());

            List<SigningKey> published = f.keys.published(env.id());
            assertThat(published).extracting(SigningKey::kid).containsExactly(second.kid(), first.kid());
            assertThat(published.get(0).state()).isEqualTo(SigningKey.KeyState.ACTIVE);
            assertThat(published.get(0).retireTime()).isEmpty();
            assertThat(published.get(1).state()).isEqualTo(SigningKey.KeyState.RETIRED);
            assertThat(published.get(1).retireTime()).contains(second.createTime().plus(SigningKeyService.PUBLICATION_LEAD));
            assertThat(f.keys.active(env.id())).as("the new key is published but does not sign yet")
                    .map(SigningKey::kid).contains(first.kid());

            f.clock.advance(SigningKeyService.PUBLICATION_LEAD.minusSeconds(1));
            assertThat(f.keys.active(env.id())).map(SigningKey::kid).contains(first.kid());
            f.clock.advance(Duration.ofSeconds(1));
            assertThat(f.keys.active(env.id())).as("after the lead the new key signs").map(SigningKey::kid)
                    .contains(second.kid());
            assertThat(f.keys.published(env.id())).as("the old key stays published for its tokens")
                    .extracting(SigningKey::kid).contains(first.kid());
        }
    }

    @EachDatabase
    void rotateImmediatelyWhenCompromisedThenTheNewKeySignsAtOnce(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            f.keys.rotate(env.id(), Duration.ZERO);
            f.clock.advance(Duration.ofMinutes(1));
            SigningKey second = f.keys.rotate(env.id(), Duration.ZERO);
            assertThat(f.keys.active(env.id())).map(SigningKey::kid).contains(second.kid());
        }
    }

    @EachDatabase
    void rotateTwiceWithinTheLeadThenKeysSignInTheOrderTheyWerePublished(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            SigningKey first = f.keys.rotate(env.id(), Duration.ZERO);
            SigningKey second = f.keys.rotate(env.id());
            f.clock.advance(Duration.ofMinutes(1));
            SigningKey third = f.keys.rotate(env.id());

            assertThat(f.keys.active(env.id())).map(SigningKey::kid).contains(first.kid());
            f.clock.advance(SigningKeyService.PUBLICATION_LEAD.minusMinutes(1));
            assertThat(f.keys.active(env.id())).map(SigningKey::kid).contains(second.kid());
            f.clock.advance(Duration.ofMinutes(1));
            assertThat(f.keys.active(env.id())).map(SigningKey::kid).contains(third.kid());
        }
    }

    @EachDatabase
    void rotateWhenRepeatedThenExactlyOneActiveKey(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            SigningKey last = null;
            for (int i = 0; i < 4; i++) {
                last = f.keys.rotate(env.id());
                f.clock.advance(Duration.ofMinutes(10));
            }

            long active = f.database.jdbi().withHandle(h -> h.createQuery(
                            "select count(*) from signing_keys where environment_id = :env and state = 'ACTIVE'")
                    .bind("env", env.id()).mapTo(Long.class).one());
            assertThat(active).isEqualTo(1);
            assertThat(f.keys.published(env.id())).hasSize(4).first()
                    .satisfies(key -> assertThat(key.state()).isEqualTo(SigningKey.KeyState.ACTIVE));
            assertThat(f.keys.active(env.id())).map(SigningKey::kid).contains(last.kid());
        }
    }

    @EachDatabase
    void publishedWhenRetiredLongerThanPublicationWindowThenExcluded(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            f.clock.set(Instant.parse("2025-06-01T00:00:00Z"));
            SigningKey retired = f.keys.rotate(env.id(), Duration.ZERO);
            f.clock.set(Instant.parse("2025-06-02T00:00:00Z"));
            SigningKey active = f.keys.rotate(env.id(), Duration.ZERO);
            Instant retiredAt = Instant.parse("2025-06-02T00:00:00Z");

            f.clock.set(retiredAt.plus(SigningKeyService.RETIRED_KEY_PUBLICATION).minus(Duration.ofSeconds(1)));
            assertThat(f.keys.published(env.id())).extracting(SigningKey::kid).containsExactly(active.kid(), retired.kid());

            f.clock.set(retiredAt.plus(SigningKeyService.RETIRED_KEY_PUBLICATION).minusNanos(1_000));
            assertThat(f.keys.published(env.id())).extracting(SigningKey::kid).containsExactly(active.kid(), retired.kid());

            f.clock.set(retiredAt.plus(SigningKeyService.RETIRED_KEY_PUBLICATION));
            assertThat(f.keys.published(env.id())).extracting(SigningKey::kid).containsExactly(active.kid());

            f.clock.set(retiredAt.plus(Duration.ofDays(365)));
            assertThat(f.keys.published(env.id())).extracting(SigningKey::kid).containsExactly(active.kid());
            assertThat(f.keys.active(env.id())).map(SigningKey::kid).contains(active.kid());
        }
    }

    @EachDatabase
    void privateKeyWhenSameMasterKeyThenOpensAndSignsForThePublishedPublicKey(String kind) throws Exception {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            f.keys.rotate(env.id());
            SigningKey stored = f.keys.active(env.id()).orElseThrow();

            // A fresh service with a sealer built from the same master key, as after a restart.
            PrivateKey privateKey = f.keyService(new SecretSealer(StoreFixture.masterKey(7))).privateKey(stored);

            byte[] data = "header.payload".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(privateKey);
            signer.update(data);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(publicKey(stored));
            verifier.update(data);
            assertThat(verifier.verify(signature)).isTrue();
            assertThat(((RSAPrivateCrtKey) privateKey).getModulus()).isEqualTo(((RSAPublicKey) publicKey(stored)).getModulus());
        }
    }

    @EachDatabase
    void privateKeyWhenOtherMasterKeyThenSealedValueException(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            f.keys.rotate(env.id());
            SigningKey stored = f.keys.active(env.id()).orElseThrow();
            SigningKeyService otherMaster = f.keyService(new SecretSealer(StoreFixture.masterKey(8)));

            assertThatThrownBy(() -> otherMaster.privateKey(stored))
                    .isInstanceOf(SecretSealer.SealedValueException.class);
        }
    }

    @EachDatabase
    void privateKeyWhenSealedValueCopiedToAnotherKeyThenSealedValueException(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment alpha = f.environment("alpha");
            Environment beta = f.environment("beta");
            SigningKey ofAlpha = f.keys.rotate(alpha.id());
            SigningKey ofBeta = f.keys.rotate(beta.id());

            SigningKey transplanted = new SigningKey(ofBeta.kid(), ofBeta.environmentId(), ofBeta.algorithm(),
                    ofAlpha.publicKeyDer(), ofAlpha.sealedPrivateKey(), ofBeta.state(), ofBeta.createTime(),
                    ofBeta.retireTime());
            SigningKey renamed = new SigningKey(ofAlpha.kid(), beta.id(), ofAlpha.algorithm(), ofAlpha.publicKeyDer(),
                    ofAlpha.sealedPrivateKey(), ofAlpha.state(), ofAlpha.createTime(), ofAlpha.retireTime());

            assertThatThrownBy(() -> f.keys.privateKey(transplanted)).isInstanceOf(SecretSealer.SealedValueException.class);
            assertThatThrownBy(() -> f.keys.privateKey(renamed)).isInstanceOf(SecretSealer.SealedValueException.class);
            assertThat(f.keys.privateKey(ofAlpha)).isNotNull();
        }
    }

    @EachDatabase
    void sealedPrivateKeyWhenReadFromDatabaseThenNotThePlainPkcs8(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            SigningKey key = f.keys.rotate(env.id());
            byte[] pkcs8 = f.keys.privateKey(key).getEncoded();

            Map<String, Object> row = f.database.jdbi().withHandle(h -> h.createQuery(
                            "select public_key_der, sealed_private_key from signing_keys where kid = :kid")
                    .bind("kid", key.kid()).mapToMap().one());
            String storedText = (String) row.get("sealed_private_key");
            byte[] stored = Base64.getDecoder().decode(storedText);

            assertThat(stored).isNotEqualTo(pkcs8);
            assertThat(stored[0]).isEqualTo((byte) 1);
            assertThat(stored).hasSize(1 + 12 + pkcs8.length + 16);
            assertThat(containsRun(stored, pkcs8, 32)).isFalse();
            String plainBase64 = Base64.getEncoder().encodeToString(pkcs8);
            assertThat(storedText).doesNotContain(plainBase64.substring(100, 160));
            assertThat((String) row.get("public_key_der")).isEqualTo(Base64.getEncoder().encodeToString(key.publicKeyDer()));
        }
    }

    private static PublicKey publicKey(SigningKey key) throws Exception {
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(key.publicKeyDer()));
    }

    /** Whether any {@code run} consecutive bytes of {@code needle} appear in {@code haystack}. */
    private static boolean containsRun(byte[] haystack, byte[] needle, int run) {
        for (int start = 0; start + run <= needle.length; start += run) {
            outer:
            for (int i = 0; i + run <= haystack.length; i++) {
                for (int j = 0; j < run; j++) {
                    if (haystack[i + j] != needle[start + j]) {
                        continue outer;
                    }
                }
                return true;
            }
        }
        return false;
    }
}
