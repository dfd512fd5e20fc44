package dev.gatehouse.crypto.openssl;

import java.util.Optional;

/**
 * Binds libcrypto's functions. This is the Java 21 version, which never binds: the FFM API is final only
 * in Java 22. A Java 22+ runtime reading the multi-release jar loads {@code META-INF/versions/22}'s version
 * of this class instead (source in {@code src/main/java22}), which calls libcrypto through {@code java.lang.foreign}.
 */
final class LibCryptoBinding {
    private LibCryptoBinding() {}

    /** Why nothing can be bound in this runtime, if so. */
    static Optional<String> unavailableReason() {
        return Optional.of("OpenSSL is called through the FFM API, which needs Java 22 or newer and the classes of "
                + "gatehouse-crypto-openssl's multi-release jar (this is Java " + Runtime.version().feature()
                + " with the Java 21 classes)");
    }

    static LibCrypto bind(String candidate) throws OpenSslException {
        throw new OpenSslException(unavailableReason().orElseThrow());
    }
}
