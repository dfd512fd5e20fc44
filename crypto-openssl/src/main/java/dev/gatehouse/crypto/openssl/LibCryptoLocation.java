package dev.gatehouse.crypto.openssl;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Where to look for {@code libcrypto}: a configured path only, or the platform's usual OpenSSL 3 names. */
public final class LibCryptoLocation {
    private LibCryptoLocation() {}

    /**
     * @param configured a path set by the operator ({@code GATEHOUSE_LIBCRYPTO}): when present it is the only
     *                   candidate, so a wrong path never silently loads another library
     * @param osName     {@code System.getProperty("os.name")}
     * @return names or paths to try in order; names are resolved by the system's dynamic loader
     */
    public static List<String> candidates(Optional<String> configured, String osName) {
        if (configured.isPresent()) {
            return List.of(configured.get());
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("mac") || os.contains("darwin")) {
            // Never the bare libcrypto.dylib: macOS's own stub aborts the process when loaded unversioned.
            return List.of("libcrypto.3.dylib",
                    "/opt/homebrew/opt/openssl@3/lib/libcrypto.3.dylib",
                    "/usr/local/opt/openssl@3/lib/libcrypto.3.dylib");
        }
        if (os.contains("windows")) {
            return List.of(); // C long is 32-bit there; the bindings assume LP64
        }
        return List.of("libcrypto.so.3", "libcrypto.so");
    }

    /** The platform's usual names, nothing configured. */
    public static List<String> platformDefaults() {
        return candidates(Optional.empty(), System.getProperty("os.name", ""));
    }
}
