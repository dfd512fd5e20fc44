package dev.gatehouse.bench.rsa;

import dev.gatehouse.crypto.openssl.LibCryptoLoad;
import dev.gatehouse.crypto.openssl.LibCryptoLocation;
import dev.gatehouse.crypto.openssl.OpenSsl;
import dev.gatehouse.crypto.openssl.OpenSslRsaKey;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Raw RS256 (RSA-2048, SHA-256, PKCS#1 v1.5) signatures per second on one thread, for each engine Gatehouse
 * can sign tokens with: OpenSSL through the FFM API (gatehouse-crypto-openssl), Conscrypt, the JDK. The input is
 * a typical access token's signing input (~330 bytes). Each engine: a warm-up, then a timed loop; its first
 * signature is checked against the JDK's (RSASSA-PKCS1-v1_5 is deterministic).
 *
 * <pre>java -jar bench/rsa-sign/target/rsa-sign.jar [--warmup S] [--seconds S] [--engines openssl,conscrypt,jdk]</pre>
 */
public final class RsaSignBench {
    private static final byte[] INPUT = (base64Url("{\"kid\":\"snk_0123456789012345\",\"typ\":\"JWT\",\"alg\":\"RS256\"}")
            + "." + base64Url("{\"iss\":\"http://127.0.0.1:18091\",\"sub\":\"skc_bench\",\"client_id\":\"skc_bench\","
            + "\"scopes\":[\"read\",\"write\"],\"iat\":1790000000,\"nbf\":1790000000,\"exp\":1790000300,"
            + "\"jti\":\"tkn_01234567890123456789\",\"aud\":[\"https://api.example.test\"]}"))
            .getBytes(StandardCharsets.US_ASCII);

    /** One signature of {@link #INPUT}. */
    @FunctionalInterface
    private interface SignOnce {
        byte[] sign() throws Exception;
    }

    private RsaSignBench() {}

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        double warmup = Double.parseDouble(options.getOrDefault("warmup", "2"));
        double seconds = Double.parseDouble(options.getOrDefault("seconds", "3"));
        String engines = options.getOrDefault("engines", "openssl,conscrypt,jdk");

        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        byte[] reference = jdkSigner(pair.getPrivate(), Optional.empty()).sign();

        System.out.printf(Locale.ROOT, "# RS256 (RSA-2048) signatures per second, one thread; warm-up %.1f s, measured %.1f s; Java %s%n",
                warmup, seconds, Runtime.version());
        for (String engine : engines.split(",")) {
            Optional<SignOnce> signer = switch (engine.trim()) {
                case "openssl" -> openssl(pair.getPrivate());
                case "conscrypt" -> conscrypt(pair.getPrivate());
                case "jdk" -> Optional.of(jdkSigner(pair.getPrivate(), Optional.empty()));
                default -> throw new IllegalArgumentException("unknown engine " + engine + " (openssl, conscrypt, jdk)");
            };
            if (signer.isEmpty()) {
                continue;
            }
            if (!Arrays.equals(signer.get().sign(), reference)) {
                throw new IllegalStateException(engine + " does not produce the JDK's signature");
            }
            loop(signer.get(), warmup);
            Rate rate = loop(signer.get(), seconds);
            System.out.printf(Locale.ROOT, "%-10s %8.0f sign/s %8.0f sign/s of thread CPU%n", engine.trim(), rate.perSecond(),
                    rate.perCpuSecond());
        }
    }

    private static Optional<SignOnce> openssl(PrivateKey key) throws Exception {
        LibCryptoLoad load = OpenSsl.load(LibCryptoLocation.candidates(
                Optional.ofNullable(System.getenv("GATEHOUSE_LIBCRYPTO")).filter(p -> !p.isBlank()), System.getProperty("os.name")));
        if (load instanceof LibCryptoLoad.NotLoaded notLoaded) {
            System.out.println("openssl    not available: " + notLoaded.reason());
            return Optional.empty();
        }
        LibCryptoLoad.Loaded loaded = (LibCryptoLoad.Loaded) load;
        System.out.println("# openssl: " + loaded.library().version() + " (" + loaded.library().library() + ")");
        OpenSslRsaKey nativeKey = loaded.library().importRsaPrivateKey(key.getEncoded());
        return Optional.of(() -> nativeKey.signSha256(INPUT));
    }

    private static Optional<SignOnce> conscrypt(PrivateKey key) throws Exception {
        if (!org.conscrypt.Conscrypt.isAvailable()) {
            System.out.println("conscrypt  not available on this platform");
            return Optional.empty();
        }
        Provider provider = org.conscrypt.Conscrypt.newProvider();
        org.conscrypt.Conscrypt.Version version = org.conscrypt.Conscrypt.version();
        System.out.println("# conscrypt: " + version.major() + "." + version.minor() + "." + version.patch());
        PrivateKey converted = KeyFactory.getInstance("RSA", provider).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        return Optional.of(jdkSigner(converted, Optional.of(provider)));
    }

    /** What Nimbus's RSASSASigner does per signature: a new Signature object, init, update, sign. */
    private static SignOnce jdkSigner(PrivateKey key, Optional<Provider> provider) {
        return () -> {
            Signature signature = provider.isPresent()
                    ? Signature.getInstance("SHA256withRSA", provider.get())
                    : Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(INPUT);
            return signature.sign();
        };
    }

    /** Signatures per wall-clock second, and per second of this thread's CPU time (what `openssl speed` reports). */
    private record Rate(double perSecond, double perCpuSecond) {}

    /** Signs for {@code seconds} of wall-clock time. */
    private static Rate loop(SignOnce signer, double seconds) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long count = 0;
        long now;
        do {
            signer.sign();
            count++;
            now = System.nanoTime();
        } while (now < deadline);
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        return new Rate(count / ((now - start) / 1e9), count / (cpu / 1e9));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: [--warmup S] [--seconds S] [--engines openssl,conscrypt,jdk]");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }
}
