package dev.gatehouse.crypto.openssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against the packaged multi-release jar (failsafe), so the Java 22 classes call the system's libcrypto.
 * Needs OpenSSL 3's libcrypto.so.3, present on current Debian and Ubuntu.
 */
class OpenSslIT {
    private static LibCrypto openssl;
    private static KeyPair rsa;

    @BeforeAll
    static void loadLibraryAndKey() throws Exception {
        LibCryptoLoad load = OpenSsl.load(LibCryptoLocation.platformDefaults());
        assertThat(load).as("libcrypto loads: %s", load).isInstanceOf(LibCryptoLoad.Loaded.class);
        openssl = ((LibCryptoLoad.Loaded) load).library();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
    }

    @Test
    void theSystemLibraryIsOpenSsl3() {
        assertThat(openssl.version()).startsWith("OpenSSL 3");
        assertThat(openssl.library()).isEqualTo("libcrypto.so.3");
    }

    @Test
    void signaturesAreByteForByteTheJdks() throws Exception {
        Random random = new Random(42);
        List<byte[]> inputs = new ArrayList<>(List.of(new byte[0], "a".getBytes(StandardCharsets.US_ASCII),
                SelfCheck.INPUT));
        for (int size : new int[] {63, 64, 65, 700, 4096, 100_000}) {
            byte[] input = new byte[size];
            random.nextBytes(input);
            inputs.add(input);
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(3072);
        for (KeyPair pair : List.of(rsa, generator.generateKeyPair())) {
            try (OpenSslRsaKey key = openssl.importRsaPrivateKey(pair.getPrivate().getEncoded())) {
                for (byte[] input : inputs) {
                    assertThat(key.signSha256(input)).as("%d-byte input", input.length).isEqualTo(jdkSignature(pair, input));
                }
            }
        }
    }

    @Test
    void verificationAgreesWithTheJdkForGoodTamperedAndForeignSignatures() throws Exception {
        OpenSslVerifyProvider provider = new OpenSslVerifyProvider(openssl);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        List<KeyPair> pairs = new ArrayList<>(List.of(rsa));
        for (int bits : new int[] {1024, 3072}) {
            generator.initialize(bits);
            pairs.add(generator.generateKeyPair());
        }
        Random random = new Random(7);
        for (KeyPair pair : pairs) {
            for (int size : new int[] {0, 1, 600, 5000}) {
                byte[] input = new byte[size];
                random.nextBytes(input);
                byte[] good = jdkSignature(pair, input);
                byte[] tampered = good.clone();
                tampered[random.nextInt(tampered.length)] ^= (byte) (1 << random.nextInt(8));
                byte[] shortened = java.util.Arrays.copyOf(good, good.length - 1);
                assertThat(OpenSslVerifyProviderTest.verify(provider, pair, input, good)).isTrue();
                assertThat(OpenSslVerifyProviderTest.verify(provider, pair, input, tampered)).isFalse();
                assertThat(OpenSslVerifyProviderTest.verify(provider, pair, input, shortened)).isFalse();
                assertThat(OpenSslVerifyProviderTest.verify(provider, pair, input, jdkSignature(rsa == pair ? pairs.get(1) : rsa, input)))
                        .isFalse();
            }
        }
        try (OpenSslRsaPublicKey key = openssl.importRsaPublicKey(rsa.getPublic().getEncoded())) {
            assertThat(key.modulusBits()).isEqualTo(2048);
        }
    }

    @Test
    void aPublicKeyThatIsNotRsaIsRefusedAndFreed() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        byte[] ec = generator.generateKeyPair().getPublic().getEncoded();
        int live = openssl.liveKeys();
        assertThatThrownBy(() -> openssl.importRsaPublicKey(ec)).isInstanceOf(OpenSslException.class)
                .hasMessageContaining("not an RSA public key");
        assertThatThrownBy(() -> openssl.importRsaPublicKey("garbage".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(OpenSslException.class).hasMessageStartingWith("d2i_PUBKEY failed");
        assertThat(openssl.liveKeys()).isEqualTo(live);
    }

    @Test
    void importReportsTheKeySize() throws Exception {
        try (OpenSslRsaKey key = openssl.importRsaPrivateKey(rsa.getPrivate().getEncoded())) {
            assertThat(key.modulusBits()).isEqualTo(2048);
        }
    }

    @Test
    void concurrentSignaturesWithOneKeyAreAllCorrect() throws Exception {
        try (OpenSslRsaKey key = openssl.importRsaPrivateKey(rsa.getPrivate().getEncoded());
             ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                byte[] input = ("token-" + i).getBytes(StandardCharsets.US_ASCII);
                results.add(threads.submit(() -> java.util.Arrays.equals(key.signSha256(input), jdkSignature(rsa, input))));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        }
    }

    @Test
    void garbageIsRefusedWithOpenSslsReason() {
        int live = openssl.liveKeys();
        assertThatThrownBy(() -> openssl.importRsaPrivateKey("not a key".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(OpenSslException.class)
                .hasMessageStartingWith("d2i_AutoPrivateKey failed");
        assertThat(openssl.liveKeys()).isEqualTo(live);
    }

    @Test
    void aNonRsaKeyIsRefusedAndFreed() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        byte[] ec = generator.generateKeyPair().getPrivate().getEncoded();
        int live = openssl.liveKeys();
        assertThatThrownBy(() -> openssl.importRsaPrivateKey(ec))
                .isInstanceOf(OpenSslException.class)
                .hasMessageContaining("not an RSA key");
        assertThat(openssl.liveKeys()).isEqualTo(live);
    }

    @Test
    void closingAKeyFreesItAndLaterSignaturesFail() throws Exception {
        int live = openssl.liveKeys();
        OpenSslRsaKey key = openssl.importRsaPrivateKey(rsa.getPrivate().getEncoded());
        assertThat(openssl.liveKeys()).isEqualTo(live + 1);
        key.signSha256(SelfCheck.INPUT);

        key.close();
        key.close(); // idempotent

        assertThat(openssl.liveKeys()).isEqualTo(live);
        assertThatThrownBy(() -> key.signSha256(SelfCheck.INPUT))
                .isInstanceOf(OpenSslException.class)
                .hasMessage("the key was released");
    }

    @Test
    void aMissingConfiguredLibraryIsNotLoadedAndSaysWhy() {
        String missing = "/nonexistent/gatehouse/libcrypto.so.3";
        LibCryptoLoad load = OpenSsl.load(LibCryptoLocation.candidates(Optional.of(missing), "Linux"));
        assertThat(load).isInstanceOfSatisfying(LibCryptoLoad.NotLoaded.class,
                notLoaded -> assertThat(notLoaded.reason()).contains(missing));
    }

    @Test
    void aLibraryThatIsNotLibcryptoIsNotLoaded() {
        LibCryptoLoad load = OpenSsl.load(List.of("libz.so.1"));
        assertThat(load).isInstanceOfSatisfying(LibCryptoLoad.NotLoaded.class,
                notLoaded -> assertThat(notLoaded.reason()).isEqualTo("libz.so.1 has no OpenSSL_version_num (not OpenSSL 3's libcrypto)"));
    }

    @Test
    void candidatesAreTriedInOrder() {
        LibCryptoLoad load = OpenSsl.load(List.of("/nonexistent/gatehouse/libcrypto.so.3", "libz.so.1", "libcrypto.so.3"));
        assertThat(load).isInstanceOfSatisfying(LibCryptoLoad.Loaded.class,
                loaded -> assertThat(loaded.library().library()).isEqualTo("libcrypto.so.3"));
    }

    @Test
    void theSelfCheckPassesOnTheSystemLibrary() {
        assertThat(SelfCheck.compareWithJdk(openssl)).isEmpty();
    }

    private static byte[] jdkSignature(KeyPair pair, byte[] input) throws Exception {
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(pair.getPrivate());
        signature.update(input);
        return signature.sign();
    }
}
