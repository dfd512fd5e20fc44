package dev.gatehouse.crypto.openssl;

import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A JCA provider with one service, {@code Signature} {@code SHA256withRSA}, for verification only, computed by a
 * loaded (and self-checked) OpenSSL. Hand it to the code that verifies (e.g. Santuario's {@code XMLSignature}), not to
 * {@code Security.addProvider}: nothing else in the process changes. Each public key is imported into OpenSSL once
 * and reused (at most {@link #MAX_KEYS} are remembered, then the memory starts over; a forgotten native key is freed
 * once no verification uses it). A key OpenSSL does not take (not RSA, or not encodable) is verified by the JDK's
 * {@code SunRsaSign} instead, so this provider accepts and refuses what the JDK does (docs/DECISIONS.md D-AC5).
 */
public final class OpenSslVerifyProvider extends java.security.Provider {
    public static final String NAME = "GatehouseOpenSSL";
    static final int MAX_KEYS = 1_000;

    private final transient LibCrypto library;
    private final transient Map<PublicKey, Optional<OpenSslRsaPublicKey>> keys = new ConcurrentHashMap<>();

    /** Over a library {@link OpenSsl#load} returned (its self-check covers verification too). */
    public OpenSslVerifyProvider(LibCrypto library) {
        super(NAME, "1.0", "SHA256withRSA verification by " + library.version());
        this.library = library;
        putService(new Service(this, "Signature", "SHA256withRSA", Sha256RsaVerifier.class.getName(), List.of(),
                Map.of()) {
            @Override
            public Object newInstance(Object constructorParameter) {
                return new Sha256RsaVerifier(OpenSslVerifyProvider.this);
            }
        });
    }

    /** The OpenSSL copy of {@code key}, imported on first use; empty when OpenSSL does not take it. */
    Optional<OpenSslRsaPublicKey> imported(PublicKey key) {
        Optional<OpenSslRsaPublicKey> known = keys.get(key);
        if (known != null) {
            return known;
        }
        Optional<OpenSslRsaPublicKey> imported = Optional.empty();
        byte[] encoded = key instanceof RSAPublicKey && "X.509".equals(key.getFormat()) ? key.getEncoded() : null;
        if (encoded != null) {
            try {
                imported = Optional.of(library.importRsaPublicKey(encoded));
            } catch (OpenSslException e) {
                imported = Optional.empty();
            }
        }
        if (keys.size() >= MAX_KEYS) {
            keys.clear();
        }
        Optional<OpenSslRsaPublicKey> raced = keys.putIfAbsent(key, imported);
        if (raced != null) {
            imported.ifPresent(OpenSslRsaPublicKey::close);
            return raced;
        }
        return imported;
    }

    /** Keys remembered (imported or refused). */
    int rememberedKeys() {
        return keys.size();
    }
}
