package dev.gatehouse.oauth.key;

/** What computes the RS256 signatures of tokens (docs/DECISIONS.md D-N1…D-N4). */
public enum RsaEngine {
    /** The system's OpenSSL 3 {@code libcrypto}, through the FFM API (module gatehouse-crypto-openssl). */
    OPENSSL,
    /** Conscrypt's JCA provider (BoringSSL inside the Maven Central jar). */
    CONSCRYPT,
    /** The JDK's own provider (SunRsaSign). */
    JDK
}
