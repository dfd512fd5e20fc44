package dev.gatehouse.crypto.openssl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Optional;

/**
 * RSASSA-PKCS1-v1_5 is deterministic: the same key and input give the same bytes in every correct
 * implementation. Before OpenSSL signs anything, a fixed JWS signing input is signed with OpenSSL and with
 * the JDK ({@code SunRsaSign}); any difference, or any failure, disqualifies the library. OpenSSL must then also
 * verify the JDK's signature and refuse it with one bit flipped (it verifies SAML signatures, D-AC5).
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
            if (!MessageDigest.isEqual(expected, actual)) {
                return Optional.of("its RS256 signature differs from the JDK's for the same key and input");
            }
        } catch (OpenSslException e) {
            return Optional.of(e.getMessage());
        }
        return verifiesLikeTheJdk(library, pkcs8, expected);
    }

    /** OpenSSL must accept the JDK's signature and refuse it with one bit flipped (D-AC5). */
    private static Optional<String> verifiesLikeTheJdk(LibCrypto library, byte[] pkcs8, byte[] signature) {
        byte[] publicKey;
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA", "SunRsaSign");
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            publicKey = rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())).getEncoded();
        } catch (GeneralSecurityException | ClassCastException e) {
            return Optional.of("the JDK could not derive the public key: " + e);
        }
        byte[] tampered = signature.clone();
        tampered[tampered.length - 1] ^= 1;
        try (OpenSslRsaPublicKey key = library.importRsaPublicKey(publicKey)) {
            if (!key.verifySha256(INPUT, signature)) {
                return Optional.of("it does not verify the JDK's RS256 signature");
            }
            if (key.verifySha256(INPUT, tampered)) {
                return Optional.of("it accepts an RS256 signature with a flipped bit");
            }
            return Optional.empty();
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
