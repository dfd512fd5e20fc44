package dev.gatehouse.oauth.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.crypto.openssl.LibCrypto;
import dev.gatehouse.crypto.openssl.LibCryptoLoad;
import dev.gatehouse.crypto.openssl.LibCryptoLocation;
import dev.gatehouse.crypto.openssl.OpenSsl;
import dev.gatehouse.crypto.openssl.OpenSslRsaKey;
import dev.gatehouse.core.key.SigningKeyService;
import dev.gatehouse.core.testing.MutableClock;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Token signing through OpenSSL, against the packaged gatehouse-crypto-openssl jar (failsafe), where the
 * Java 22 classes call the system's libcrypto.so.3.
 */
class OpenSslSigningIT {
    private static final String MISSING_LIBRARY = "/nonexistent/gatehouse/libcrypto.so.3";
    private static KeyPair pair;

    @BeforeAll
    static void generateKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        pair = generator.generateKeyPair();
    }

    @Test
    void openSslIsChosenWhenItLoads() {
        RsaSigners signers = RsaSigners.select(RsaSigningSettings.AUTOMATIC);

        assertThat(signers.engine()).isEqualTo(RsaEngine.OPENSSL);
        assertThat(signers.description()).startsWith("OpenSSL 3").contains("libcrypto.so.3");
        assertThat(signers.signer(pair.getPrivate(), JWSAlgorithm.RS256)).isInstanceOf(OpenSslRs256Signer.class);
    }

    @Test
    void nimbusVerifiesATokenSignedByOpenSslAndTheBytesAreTheJdks() throws Exception {
        JWSSigner openssl = RsaSigners.select(RsaSigningSettings.AUTOMATIC).signer(pair.getPrivate(), JWSAlgorithm.RS256);

        SignedJWT signed = token();
        signed.sign(openssl);
        SignedJWT parsed = SignedJWT.parse(signed.serialize());
        SignedJWT byJdk = token();
        byJdk.sign(new RSASSASigner(pair.getPrivate()));

        assertThat(parsed.verify(new RSASSAVerifier((RSAPublicKey) pair.getPublic()))).isTrue();
        assertThat(parsed.getJWTClaimsSet().getSubject()).isEqualTo("m2morg_1");
        assertThat(signed.getSignature()).isEqualTo(byJdk.getSignature());
    }

    @Test
    void onlyRs256IsSignedByOpenSsl() throws Exception {
        JWSSigner openssl = RsaSigners.select(RsaSigningSettings.AUTOMATIC).signer(pair.getPrivate(), JWSAlgorithm.RS256);
        SignedJWT rs384 = new SignedJWT(new JWSHeader(JWSAlgorithm.RS384), new JWTClaimsSet.Builder().build());

        assertThat(openssl.supportedJWSAlgorithms()).containsExactly(JWSAlgorithm.RS256);
        assertThatThrownBy(() -> rs384.sign(openssl)).isInstanceOf(JOSEException.class);
        assertThat(RsaSigners.select(RsaSigningSettings.AUTOMATIC).signer(pair.getPrivate(), JWSAlgorithm.RS384))
                .isInstanceOf(RSASSASigner.class);
    }

    @Test
    void aMissingConfiguredLibraryFallsBackToConscrypt() throws Exception {
        for (Optional<RsaEngine> forced : List.of(Optional.<RsaEngine>empty(), Optional.of(RsaEngine.OPENSSL))) {
            RsaSigners signers = RsaSigners.select(RsaSigningSettings.fromEnvironment(Map.of(
                    "GATEHOUSE_LIBCRYPTO", MISSING_LIBRARY,
                    "GATEHOUSE_RSA_PROVIDER", forced.map(e -> e.name().toLowerCase()).orElse("auto"))));

            assertThat(signers.engine()).isEqualTo(RsaEngine.CONSCRYPT);
            SignedJWT signed = token();
            signed.sign(signers.signer(pair.getPrivate(), JWSAlgorithm.RS256));
            assertThat(signed.verify(new RSASSAVerifier((RSAPublicKey) pair.getPublic()))).isTrue();
        }
    }

    @Test
    void forcingAnotherEngineKeepsOpenSslOut() {
        assertThat(RsaSigners.select(RsaSigningSettings.fromEnvironment(Map.of("GATEHOUSE_RSA_PROVIDER", "conscrypt"))).engine())
                .isEqualTo(RsaEngine.CONSCRYPT);
        assertThat(RsaSigners.select(RsaSigningSettings.fromEnvironment(Map.of("GATEHOUSE_RSA_PROVIDER", "jdk"))).engine())
                .isEqualTo(RsaEngine.JDK);
    }

    @Test
    void whenOpenSslFailsTheFallbackSigns() throws Exception {
        LibCrypto library = ((LibCryptoLoad.Loaded) OpenSsl.load(LibCryptoLocation.platformDefaults())).library();
        OpenSslRsaKey released = library.importRsaPrivateKey(pair.getPrivate().getEncoded());
        released.close();
        JWSSigner signer = new OpenSslRs256Signer(released, new RSASSASigner(pair.getPrivate()));

        SignedJWT signed = token();
        signed.sign(signer);

        assertThat(signed.verify(new RSASSAVerifier((RSAPublicKey) pair.getPublic()))).isTrue();
    }

    @Test
    void theKeyRingSignsWithOpenSsl() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
        SigningKeyService keys = InMemorySigningKeys.service(clock);
        KeyRing ring = new KeyRing(keys, clock, RsaSigners.select(RsaSigningSettings.AUTOMATIC));
        keys.rotate("env_1", Duration.ZERO);

        KeyRing.EnvironmentKeys environment = ring.keys("env_1");
        KeyRing.ActiveKey active = environment.active().orElseThrow();
        SignedJWT signed = new SignedJWT(new JWSHeader.Builder(active.algorithm()).keyID(active.kid()).build(),
                new JWTClaimsSet.Builder().subject("usr_1").build());
        signed.sign(active.signer());

        assertThat(active.signer()).isInstanceOf(OpenSslRs256Signer.class);
        assertThat(signed.verify(new RSASSAVerifier(environment.verificationKeys().get(active.kid())))).isTrue();
    }

    private static SignedJWT token() {
        return new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("key_1").type(JOSEObjectType.JWT).build(),
                new JWTClaimsSet.Builder().issuer("http://localhost:8080").subject("m2morg_1").claim("scopes", List.of("read"))
                        .issueTime(new java.util.Date(1_790_000_000_000L)).build());
    }
}
