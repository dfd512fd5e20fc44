package dev.gatehouse.crypto.openssl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Finds a usable OpenSSL 3 {@code libcrypto}: loads it, binds its functions and self-checks its signatures. */
public final class OpenSsl {
    private static final Map<List<String>, LibCryptoLoad> LOADS = new ConcurrentHashMap<>();

    private OpenSsl() {}

    /**
     * Tries each candidate in order (see {@link LibCryptoLocation}) and returns the first that loads, is
     * OpenSSL 3 or newer and passes the self-check. A library stays loaded for the life of the process, so
     * the outcome is remembered per list of candidates and the self-check runs once.
     */
    public static LibCryptoLoad load(List<String> candidates) {
        return LOADS.computeIfAbsent(List.copyOf(candidates), OpenSsl::loadFirst);
    }

    private static LibCryptoLoad loadFirst(List<String> candidates) {
        Optional<String> unavailable = LibCryptoBinding.unavailableReason();
        if (unavailable.isPresent()) {
            return new LibCryptoLoad.NotLoaded(unavailable.get());
        }
        if (candidates.isEmpty()) {
            return new LibCryptoLoad.NotLoaded("no libcrypto is known on " + System.getProperty("os.name"));
        }
        List<String> failures = new ArrayList<>();
        for (String candidate : candidates) {
            LibCrypto library;
            try {
                library = LibCryptoBinding.bind(candidate);
            } catch (OpenSslException e) {
                failures.add(e.getMessage());
                continue;
            }
            Optional<String> mismatch = SelfCheck.compareWithJdk(library);
            if (mismatch.isPresent()) {
                return new LibCryptoLoad.NotLoaded(library.version() + " (" + candidate + ") failed the self-check: "
                        + mismatch.get());
            }
            return new LibCryptoLoad.Loaded(library);
        }
        return new LibCryptoLoad.NotLoaded(String.join("; ", failures));
    }
}
