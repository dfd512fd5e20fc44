package dev.gatehouse.oauth.key;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import dev.gatehouse.core.key.SigningKey;
import dev.gatehouse.core.key.SigningKeyService;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The signing and verification keys of each environment, decrypted once and kept in memory.
 * Re-read from storage every {@link #REFRESH_INTERVAL}, so a rotation on one node reaches the others.
 * The signer of the active key is made once per key ({@link RsaSigners}: OpenSSL, Conscrypt or the JDK) and
 * kept across re-reads while the same key signs; a signer that leaves the ring is released when unreachable.
 */
public final class KeyRing {
    public static final Duration REFRESH_INTERVAL = Duration.ofSeconds(15);

    private final SigningKeyService keys;
    private final Clock clock;
    private final RsaSigners signers;
    private final Map<String, EnvironmentKeys> cache = new ConcurrentHashMap<>();

    public KeyRing(SigningKeyService keys, Clock clock, RsaSigners signers) {
        this.keys = keys;
        this.clock = clock;
        this.signers = signers;
    }

    /** An environment's keys: the one that signs, and every published one by kid. */
    public record EnvironmentKeys(
            Optional<ActiveKey> active,
            JWKSet publicKeys,
            Map<String, RSAPublicKey> verificationKeys,
            Instant loadedAt) {}

    /** The key that signs new tokens. */
    /**
     * The key that signs now. {@code jwtHeader} is the header of every JWT it signs ({@code alg}, {@code kid},
     * {@code typ: JWT}), parsed back from its own encoding so that its base64url form is computed once per key rather
     * than once per token (a parsed header keeps its encoding).
     */
    public record ActiveKey(String kid, JWSAlgorithm algorithm, JWSSigner signer, JWSHeader jwtHeader) {
        public ActiveKey(String kid, JWSAlgorithm algorithm, JWSSigner signer) {
            this(kid, algorithm, signer, jwtHeader(kid, algorithm));
        }

        private static JWSHeader jwtHeader(String kid, JWSAlgorithm algorithm) {
            JWSHeader built = new JWSHeader.Builder(algorithm).keyID(kid).type(JOSEObjectType.JWT).build();
            try {
                return JWSHeader.parse(built.toBase64URL());
            } catch (java.text.ParseException e) {
                throw new IllegalStateException("a JWS header we built does not parse", e);
            }
        }

        @Override
        public String toString() {
            return "ActiveKey[kid=" + kid + "]";
        }
    }

    public EnvironmentKeys keys(String environmentId) {
        EnvironmentKeys current = cache.get(environmentId);
        if (current == null || current.loadedAt().plus(REFRESH_INTERVAL).isBefore(clock.instant())) {
            current = load(environmentId, current == null ? Optional.empty() : current.active());
            cache.put(environmentId, current);
        }
        return current;
    }

    /**
     * The environment's keys when the copy in memory is younger than {@link #REFRESH_INTERVAL}; otherwise empty,
     * without reading storage (for event loops, D-TP11: the caller falls back to {@link #keys}).
     */
    public Optional<EnvironmentKeys> inMemory(String environmentId) {
        EnvironmentKeys current = cache.get(environmentId);
        if (current == null || current.loadedAt().plus(REFRESH_INTERVAL).isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(current);
    }

    /** Drops the cached keys of an environment (after a rotation on this node). */
    public void invalidate(String environmentId) {
        cache.remove(environmentId);
    }

    private EnvironmentKeys load(String environmentId, Optional<ActiveKey> previous) {
        List<SigningKey> published = keys.published(environmentId);
        List<RSAKey> jwks = new ArrayList<>();
        Optional<ActiveKey> active = Optional.empty();
        Optional<String> signerKid = SigningKeyService.signer(published, clock.instant()).map(SigningKey::kid);
        for (SigningKey key : published) {
            RSAPublicKey publicKey = publicKey(key);
            jwks.add(new RSAKey.Builder(publicKey)
                    .keyID(key.kid())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.parse(key.algorithm()))
                    .build());
            if (signerKid.equals(Optional.of(key.kid()))) {
                active = previous.filter(p -> p.kid().equals(key.kid())).or(() -> {
                    JWSAlgorithm algorithm = JWSAlgorithm.parse(key.algorithm());
                    return Optional.of(new ActiveKey(key.kid(), algorithm, signers.signer(keys.privateKey(key), algorithm)));
                });
            }
        }
        Map<String, RSAPublicKey> byKid = jwks.stream().collect(Collectors.toUnmodifiableMap(RSAKey::getKeyID, k -> {
            try {
                return k.toRSAPublicKey();
            } catch (com.nimbusds.jose.JOSEException e) {
                throw new IllegalStateException(e);
            }
        }));
        return new EnvironmentKeys(active, new JWKSet(new ArrayList<>(jwks)), byKid, clock.instant());
    }

    private static RSAPublicKey publicKey(SigningKey key) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(key.publicKeyDer()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored public key of " + key.kid() + " is not an RSA key", e);
        }
    }
}
