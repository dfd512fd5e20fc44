package dev.gatehouse.core.key;

import java.time.Instant;
import java.util.List;

/** Storage port for signing keys, scoped by environment. */
public interface SigningKeyRepository {
    void insert(SigningKey key);

    /** Keys to publish: the active one and the retired ones whose tokens may still be alive. */
    List<SigningKey> published(String environmentId, Instant retiredAfter);

    /** Marks every active key of the environment other than {@code exceptKid} as retired at {@code when}. */
    /** Brings forward the end of signing of retired keys that would still sign after {@code until}. */
    void endSigningBy(String environmentId, Instant until);

    void retireAllExcept(String environmentId, String exceptKid, Instant when);
}
