package dev.gatehouse.crypto.openssl;

import java.util.Optional;

/**
 * Binds libcrypto's functions through the FFM API. This is the Java 22 version of the class
 * ({@code META-INF/versions/22} in the multi-release jar); the Java 21 one never binds.
 */
final class LibCryptoBinding {
    private LibCryptoBinding() {}

    static Optional<String> unavailableReason() {
        return Optional.empty();
    }

    static LibCrypto bind(String candidate) throws OpenSslException {
        return FfmLibCrypto.open(candidate);
    }
}
