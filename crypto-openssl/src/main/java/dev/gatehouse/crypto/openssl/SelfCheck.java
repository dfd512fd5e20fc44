package dev.gatehouse.crypto.openssl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Optional;

/**
 * RSASSA-PKCS1-v1_5 is deterministic: the same key and input give the same bytes in every correct
 * implementation. Before OpenSSL signs anything, a fixed JWS signing input is signed with OpenSSL and with
 * the JDK ({@code SunRsaSign}); any difference, or any failure, disqualifies the library.
 *
 * <p>The key is a known-answer key ({@code self-check-rsa2048.pk8}, RSA-2048 generated once with
 * {@code openssl genpkey} for this check and published with the source; it signs nothing else). Generating a
 * key at every start instead cost another 0.3–0.5 s of CPU on a cold JVM (docs/DECISIONS.md D-N3).
 */
final class SelfCheck {
    static final byte[] INPUT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJnYXRlaG91c2Utc2VsZi1jaGVjayJ9"
            .getBytes(StandardCharsets.US_ASCII);
    private static final String KEY_RESOURCE = "self-check-rsa2048.pk8";

    private SelfCheck() {}

    /** Empty when OpenSSL's signature equals the JDK's; otherwise what went wrong. */
    static Optional<String> compareWithJdk(LibCrypto library) {
        byte[] pkcs8;
        byte[] expected;
        try {
            pkcs8 = knownAnswerKey();
            PrivateKey key = KeyFactory.getInstance("RSA", "SunRsaSign").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            Signature jdk = Signature.getInstance("SHA256withRSA", "SunRsaSign");
            jdk.initSign(key);
            jdk.update(INPUT);
            expected = jdk.sign();
        } catch (GeneralSecurityException | IOException e) {
            return Optional.of("the JDK could not produce the reference signature: " + e);
        }
        try (OpenSslRsaKey key = library.importRsaPrivateKey(pkcs8)) {
            byte[] actual = key.signSha256(INPUT);
            return MessageDigest.isEqual(expected, actual)
                    ? Optional.empty()
                    : Optional.of("its RS256 signature differs from the JDK's for the same key and input");
        } catch (OpenSslException e) {
            return Optional.of(e.getMessage());
        }
    }

    static byte[] knownAnswerKey() throws IOException {
        try (InputStream in = SelfCheck.class.getResourceAsStream(KEY_RESOURCE)) {
            if (in == null) {
                throw new IOException(KEY_RESOURCE + " is missing from the jar");
            }
            return in.readAllBytes();
        }
    }
}
