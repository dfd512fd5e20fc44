package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.oauth.key.RsaEngine;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GATEHOUSE_LIBCRYPTO and GATEHOUSE_RSA_PROVIDER: a server whose OpenSSL cannot load still signs (D-N2). */
class TokenSigningFallbackTest {
    @Test
    void aMissingLibcryptoFallsBackToConscryptAndTokensStillVerify() throws Exception {
        try (TestGatehouse gatehouse = TestGatehouse.start(Map.of("GATEHOUSE_LIBCRYPTO", "/nonexistent/gatehouse/libcrypto.so.3"))) {
            assertThat(gatehouse.wiring.rsaSigners.engine()).isEqualTo(RsaEngine.CONSCRYPT);

            SignedJWT jwt = SignedJWT.parse(gatehouse.accessToken());
            JWKSet keys = JWKSet.parse(gatehouse.get("/keys", null).body());
            assertThat(jwt.verify(new RSASSAVerifier((RSAKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID())))).isTrue();
        }
    }

    @Test
    void anUnknownProviderStopsTheStartUp() {
        assertThatThrownBy(() -> GatehouseConfig.fromEnvironment(Map.of("GATEHOUSE_RSA_PROVIDER", "openssl3")))
                .isInstanceOf(GatehouseConfig.ConfigException.class)
                .hasMessage("GATEHOUSE_RSA_PROVIDER must be auto, openssl, conscrypt or jdk, got 'openssl3'");
    }
}
