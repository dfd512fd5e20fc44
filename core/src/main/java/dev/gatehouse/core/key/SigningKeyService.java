package dev.gatehouse.core.key;

import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.shared.Transactions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** Creates, rotates and lists an environment's RSA signing keys. */
public final class SigningKeyService {
    /** How long a new key is published before it signs (JWKS caches of relying parties refresh within it). */
    public static final Duration PUBLICATION_LEAD = Duration.ofMinutes(10);
    /** How long a retired key stays published: longer than any token it can have signed lives. */
    public static final Duration RETIRED_KEY_PUBLICATION = Duration.ofDays(2);

    private final SigningKeyRepository keys;
    private final SecretSealer sealer;
    private final IdGenerator ids;
    private final Clock clock;
    private final Transactions transactions;

    public SigningKeyService(SigningKeyRepository keys, SecretSealer sealer, IdGenerator ids, Clock clock,
                             Transactions transactions) {
        this.keys = keys;
        this.sealer = sealer;
        this.ids = ids;
        this.clock = clock;
        this.transactions = transactions;
    }

    /** Generates a new RSA-2048 key, makes it the active one and retires the previous active key. */
    /**
     * A rotation publishes the new key at once and lets it sign only after {@link #PUBLICATION_LEAD}, so that every
     * relying party's cached JWKS has seen it before a token carries its {@code kid}.
     */
    public SigningKey rotate(String environmentId) {
        return rotate(environmentId, PUBLICATION_LEAD);
    }

    /**
     * A new key, published now. The current signer keeps signing for {@code lead} (zero: the new key signs at once,
     * for a compromised key) and stays published {@link #RETIRED_KEY_PUBLICATION} after that.
     */
    public SigningKey rotate(String environmentId, Duration lead) {
        KeyPair pair = generateRsa();
        String kid = ids.next(IdPrefix.SIGNING_KEY);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        SigningKey key = new SigningKey(kid, environmentId, "RS256", pair.getPublic().getEncoded(),
                sealer.seal(pair.getPrivate().getEncoded(), associatedData(environmentId, kid)),
                SigningKey.KeyState.ACTIVE, now, Optional.empty());
        return transactions.inTransaction(() -> {
            keys.insert(key);
            keys.endSigningBy(environmentId, now.plus(lead));
            keys.retireAllExcept(environmentId, kid, now.plus(lead));
            return key;
        });
    }

    public List<SigningKey> published(String environmentId) {
        return keys.published(environmentId, clock.instant().minus(RETIRED_KEY_PUBLICATION));
    }

    public Optional<SigningKey> active(String environmentId) {
        return signer(published(environmentId), clock.instant());
    }

    /**
     * The key that signs at {@code now}: a retired key whose lead has not run out yet (the earliest to retire, so
     * back-to-back rotations still hand over in order), otherwise the newest active key.
     */
    public static Optional<SigningKey> signer(List<SigningKey> published, Instant now) {
        Optional<SigningKey> outgoing = published.stream()
                .filter(k -> k.state() == SigningKey.KeyState.RETIRED)
                .filter(k -> k.retireTime().map(t -> t.isAfter(now)).orElse(false))
                .min(java.util.Comparator.comparing(k -> k.retireTime().orElseThrow()));
        return outgoing.or(() -> published.stream().filter(k -> k.state() == SigningKey.KeyState.ACTIVE)
                .max(java.util.Comparator.comparing(SigningKey::createTime)));
    }

    public PrivateKey privateKey(SigningKey key) {
        byte[] der = sealer.open(key.sealedPrivateKey(), associatedData(key.environmentId(), key.kid()));
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored private key of " + key.kid() + " is not an RSA key", e);
        }
    }

    private static String associatedData(String environmentId, String kid) {
        return "signing-key:" + environmentId + ":" + kid;
    }

    private static KeyPair generateRsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
