package dev.gatehouse.oauth.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RsaSigningSettingsTest {
    @Test
    void nothingSetIsAutomatic() {
        assertThat(RsaSigningSettings.fromEnvironment(Map.of())).isEqualTo(RsaSigningSettings.AUTOMATIC);
        assertThat(RsaSigningSettings.fromEnvironment(Map.of("GATEHOUSE_RSA_PROVIDER", "auto", "GATEHOUSE_LIBCRYPTO", " ")))
                .isEqualTo(RsaSigningSettings.AUTOMATIC);
    }

    @Test
    void eachEngineCanBeForced() {
        assertThat(RsaSigningSettings.fromEnvironment(Map.of("GATEHOUSE_RSA_PROVIDER", "OpenSSL")).forced()).hasValue(RsaEngine.OPENSSL);
        assertThat(RsaSigningSettings.fromEnvironment(Map.of("GATEHOUSE_RSA_PROVIDER", "conscrypt")).forced()).hasValue(RsaEngine.CONSCRYPT);
        assertThat(RsaSigningSettings.fromEnvironment(Map.of("GATEHOUSE_RSA_PROVIDER", "jdk")).forced()).hasValue(RsaEngine.JDK);
    }

    @Test
    void aLibcryptoPathIsKept() {
        assertThat(RsaSigningSettings.fromEnvironment(Map.of("GATEHOUSE_LIBCRYPTO", "/opt/openssl/lib64/libcrypto.so.3")))
                .isEqualTo(new RsaSigningSettings(Optional.empty(), Optional.of("/opt/openssl/lib64/libcrypto.so.3")));
    }

    @Test
    void anUnknownProviderIsRefused() {
        assertThatThrownBy(() -> RsaSigningSettings.fromEnvironment(Map.of("GATEHOUSE_RSA_PROVIDER", "boringssl")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GATEHOUSE_RSA_PROVIDER must be auto, openssl, conscrypt or jdk, got 'boringssl'");
    }
}
