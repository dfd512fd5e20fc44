package dev.gatehouse.crypto.openssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LibCryptoLocationTest {
    @Test
    void aConfiguredPathIsTheOnlyCandidate() {
        assertThat(LibCryptoLocation.candidates(Optional.of("/opt/openssl/lib64/libcrypto.so.3"), "Linux"))
                .containsExactly("/opt/openssl/lib64/libcrypto.so.3");
    }

    @Test
    void linuxTriesTheVersionedNameFirst() {
        assertThat(LibCryptoLocation.candidates(Optional.empty(), "Linux")).containsExactly("libcrypto.so.3", "libcrypto.so");
    }

    @Test
    void macOsNeverTriesTheUnversionedSystemLibrary() {
        assertThat(LibCryptoLocation.candidates(Optional.empty(), "Mac OS X"))
                .startsWith("libcrypto.3.dylib")
                .doesNotContain("libcrypto.dylib")
                .allMatch(name -> name.endsWith("libcrypto.3.dylib"));
    }

    @Test
    void windowsHasNoCandidate() {
        assertThat(LibCryptoLocation.candidates(Optional.empty(), "Windows 11")).isEmpty();
    }
}
