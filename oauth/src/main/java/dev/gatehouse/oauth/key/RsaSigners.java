package dev.gatehouse.oauth.key;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import dev.gatehouse.crypto.openssl.LibCrypto;
import dev.gatehouse.crypto.openssl.LibCryptoLoad;
import dev.gatehouse.crypto.openssl.LibCryptoLocation;
import dev.gatehouse.crypto.openssl.OpenSsl;
import dev.gatehouse.crypto.openssl.OpenSslException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the signer of each active key with the fastest RS256 engine this process has: the system's OpenSSL 3
 * (FFM, self-checked against the JDK), else Conscrypt, else the JDK. Signing is nearly all of a token's CPU
 * (docs/DECISIONS.md D17, D-N1…D-N4). Chosen once per server; the choice is logged at INFO.
 */
public final class RsaSigners {
    private static final Logger LOG = LoggerFactory.getLogger(RsaSigners.class);

    private final RsaEngine engine;
    private final Optional<LibCrypto> openssl;
    private final Optional<Provider> conscrypt;
    private final String description;

    private RsaSigners(RsaEngine engine, Optional<LibCrypto> openssl, Optional<Provider> conscrypt, String description) {
        this.engine = engine;
        this.openssl = openssl;
        this.conscrypt = conscrypt;
        this.description = description;
    }

    /** Looks for the engines the settings allow, picks one and logs which. */
    public static RsaSigners select(RsaSigningSettings settings) {
        Optional<RsaEngine> forced = settings.forced();
        Optional<LibCrypto> openssl = Optional.empty();
        String opensslAbsence = "not asked for";
        if (forced.isEmpty() || forced.get() == RsaEngine.OPENSSL) {
            LibCryptoLoad load = OpenSsl.load(LibCryptoLocation.candidates(settings.libcrypto(), System.getProperty("os.name", "")));
            switch (load) {
                case LibCryptoLoad.Loaded loaded -> openssl = Optional.of(loaded.library());
                case LibCryptoLoad.NotLoaded notLoaded -> opensslAbsence = notLoaded.reason();
            }
        }
        Optional<Provider> conscrypt = forced.equals(Optional.of(RsaEngine.JDK)) ? Optional.empty() : loadConscrypt();

        RsaEngine engine;
        if (forced.equals(Optional.of(RsaEngine.JDK))) {
            engine = RsaEngine.JDK;
        } else if (openssl.isPresent()) {
            engine = RsaEngine.OPENSSL;
        } else if (conscrypt.isPresent()) {
            engine = RsaEngine.CONSCRYPT;
        } else {
            engine = RsaEngine.JDK;
        }
        if (forced.isPresent() && forced.get() != engine) {
            LOG.warn("GATEHOUSE_RSA_PROVIDER={} is not available here ({}); falling back",
                    forced.get().name().toLowerCase(java.util.Locale.ROOT),
                    forced.get() == RsaEngine.OPENSSL ? opensslAbsence : "Conscrypt's native library did not load");
        } else if (forced.isEmpty() && engine != RsaEngine.OPENSSL) {
            LOG.info("OpenSSL does not sign tokens: {}", opensslAbsence);
        }
        String description = switch (engine) {
            case OPENSSL -> openssl.orElseThrow().version() + " (" + openssl.orElseThrow().library() + ", FFM)"
                    + conscrypt.map(p -> ", falling back to Conscrypt").orElse(", falling back to the JDK");
            case CONSCRYPT -> "Conscrypt " + conscryptVersion() + " (BoringSSL)";
            case JDK -> "the JDK (SunRsaSign)";
        };
        LOG.info("RS256 token signatures: {}", description);
        return new RsaSigners(engine, openssl, conscrypt, description);
    }

    public RsaEngine engine() {
        return engine;
    }

    /** The engine in words, as logged at start-up. */
    public String description() {
        return description;
    }

    /**
     * A signer for {@code key}, prepared once (the key imported into the engine) and used for every token the
     * key signs. OpenSSL signs RS256 only; other algorithms, and keys OpenSSL refuses, sign with Conscrypt or
     * the JDK.
     */
    public JWSSigner signer(PrivateKey key, JWSAlgorithm algorithm) {
        JWSSigner jca = jcaSigner(key);
        if (openssl.isEmpty() || !JWSAlgorithm.RS256.equals(algorithm)) {
            return jca;
        }
        byte[] pkcs8 = key.getEncoded();
        try {
            return new OpenSslRs256Signer(openssl.get().importRsaPrivateKey(pkcs8), jca);
        } catch (OpenSslException e) {
            LOG.warn("OpenSSL could not import a signing key ({}); that key signs with {}", e.getMessage(),
                    conscrypt.isPresent() ? "Conscrypt" : "the JDK");
            return jca;
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** Conscrypt's signer with the key converted to Conscrypt's representation once, or the JDK's. */
    private JWSSigner jcaSigner(PrivateKey key) {
        if (conscrypt.isEmpty()) {
            return new RSASSASigner(key);
        }
        byte[] pkcs8 = key.getEncoded();
        try {
            PrivateKey converted = KeyFactory.getInstance("RSA", conscrypt.get()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            RSASSASigner signer = new RSASSASigner(converted);
            signer.getJCAContext().setProvider(conscrypt.get());
            return signer;
        } catch (GeneralSecurityException e) {
            LOG.warn("Conscrypt could not import an RSA key; signing it with the JDK provider", e);
            return new RSASSASigner(key);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    private static String conscryptVersion() {
        org.conscrypt.Conscrypt.Version version = org.conscrypt.Conscrypt.version();
        return version.major() + "." + version.minor() + "." + version.patch();
    }

    private static Optional<Provider> loadConscrypt() {
        try {
            if (!org.conscrypt.Conscrypt.isAvailable()) {
                return Optional.empty();
            }
            return Optional.of(org.conscrypt.Conscrypt.newProvider());
        } catch (LinkageError e) {
            LOG.info("Conscrypt is not available on this platform ({})", e.toString());
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "RsaSigners[" + description + "]";
    }
}
