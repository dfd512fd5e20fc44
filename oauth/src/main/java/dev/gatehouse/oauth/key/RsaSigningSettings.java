package dev.gatehouse.oauth.key;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How to choose the RS256 engine: {@code GATEHOUSE_RSA_PROVIDER} ({@code auto}, the default: OpenSSL, else
 * Conscrypt, else the JDK; or one of {@code openssl}, {@code conscrypt}, {@code jdk}) and
 * {@code GATEHOUSE_LIBCRYPTO} (a path to libcrypto; unset: the platform's usual names).
 */
public record RsaSigningSettings(Optional<RsaEngine> forced, Optional<String> libcrypto) {
    public static final RsaSigningSettings AUTOMATIC = new RsaSigningSettings(Optional.empty(), Optional.empty());

    /** @throws IllegalArgumentException for an unknown {@code GATEHOUSE_RSA_PROVIDER} */
    public static RsaSigningSettings fromEnvironment(Map<String, String> env) {
        String provider = env.getOrDefault("GATEHOUSE_RSA_PROVIDER", "").trim();
        Optional<RsaEngine> forced = switch (provider.toLowerCase(Locale.ROOT)) {
            case "", "auto" -> Optional.empty();
            case "openssl" -> Optional.of(RsaEngine.OPENSSL);
            case "conscrypt" -> Optional.of(RsaEngine.CONSCRYPT);
            case "jdk" -> Optional.of(RsaEngine.JDK);
            default -> throw new IllegalArgumentException(
                    "GATEHOUSE_RSA_PROVIDER must be auto, openssl, conscrypt or jdk, got '" + provider + "'");
        };
        Optional<String> libcrypto = Optional.ofNullable(env.get("GATEHOUSE_LIBCRYPTO")).map(String::trim)
                .filter(path -> !path.isEmpty());
        return new RsaSigningSettings(forced, libcrypto);
    }
}
