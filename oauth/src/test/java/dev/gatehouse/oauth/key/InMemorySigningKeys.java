package dev.gatehouse.oauth.key;

import dev.gatehouse.core.key.SigningKey;
import dev.gatehouse.core.key.SecretSealer;
import dev.gatehouse.core.key.SigningKeyRepository;
import dev.gatehouse.core.key.SigningKeyService;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The storage port in memory, with the SQL repository's semantics, for key ring tests. */
final class InMemorySigningKeys implements SigningKeyRepository {
    private final List<SigningKey> keys = new ArrayList<>();

    /** A key service over a fresh in-memory store (all-zero master key, no real transactions). */
    static SigningKeyService service(Clock clock) {
        Transactions direct = new Transactions() {
            @Override
            public <T> T inTransaction(Supplier<T> work) {
                return work.get();
            }
        };
        return new SigningKeyService(new InMemorySigningKeys(), new SecretSealer(new byte[32]), new IdGenerator(clock, 0),
                clock, direct);
    }

    @Override
    public synchronized void insert(SigningKey key) {
        keys.add(key);
    }

    @Override
    public synchronized List<SigningKey> published(String environmentId, Instant retiredAfter) {
        return keys.stream()
                .filter(k -> k.environmentId().equals(environmentId))
                .filter(k -> k.state() == SigningKey.KeyState.ACTIVE || k.retireTime().orElseThrow().isAfter(retiredAfter))
                .sorted(Comparator.comparing(SigningKey::createTime).reversed())
                .toList();
    }

    @Override
    public synchronized void endSigningBy(String environmentId, Instant until) {
        keys.replaceAll(k -> k.environmentId().equals(environmentId) && k.state() == SigningKey.KeyState.RETIRED
                && k.retireTime().orElseThrow().isAfter(until) ? retired(k, until) : k);
    }

    @Override
    public synchronized void retireAllExcept(String environmentId, String exceptKid, Instant when) {
        keys.replaceAll(k -> k.environmentId().equals(environmentId) && k.state() == SigningKey.KeyState.ACTIVE
                && !k.kid().equals(exceptKid) ? retired(k, when) : k);
    }

    private static SigningKey retired(SigningKey k, Instant when) {
        return new SigningKey(k.kid(), k.environmentId(), k.algorithm(), k.publicKeyDer(), k.sealedPrivateKey(),
                SigningKey.KeyState.RETIRED, k.createTime(), Optional.of(when));
    }
}
