package dev.gatehouse.oauth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.oauth.key.KeyRing;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * At most one RSA signature per core at a time. RSA signing is pure CPU; letting dozens of request threads sign at
 * once makes them compete for two cores, starves the event loops and stretches the latency tail. Here at most
 * {@code permits} signatures run at once, on the caller's own thread (no hand-off to another thread and back), and the
 * other callers wait in FIFO order, so latency grows evenly with load (docs/DECISIONS.md D-TP5).
 */
public final class SigningPool implements AutoCloseable {
    private final Semaphore permits;

    public SigningPool(int permits) {
        this.permits = new Semaphore(permits, true);
    }

    public static SigningPool perCore() {
        return new SigningPool(Runtime.getRuntime().availableProcessors());
    }

    /** Signs {@code jwt} with the key once a permit is free; the caller waits meanwhile. */
    void sign(SignedJWT jwt, KeyRing.ActiveKey key) {
        withPermit(() -> {
            signHoldingPermit(jwt, key);
            return null;
        });
    }

    /**
     * Runs {@code signing} (signatures made with {@link #signHoldingPermit}, and the little work between them) once a
     * permit is free. A user grant's two tokens are signed under one permit: the ID token's {@code at_hash} needs the
     * signed access token, and taking the permit twice meant queueing twice and one more hand-off (D-TP8).
     */
    <T> T withPermit(Supplier<T> signing) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to sign", e);
        }
        try {
            return signing.get();
        } finally {
            permits.release();
        }
    }

    /** Signs at once: only inside {@link #withPermit}. */
    static void signHoldingPermit(SignedJWT jwt, KeyRing.ActiveKey key) {
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed with key " + key.kid(), e);
        }
    }

    /** Nothing to release: signing runs on the callers' threads. */
    @Override
    public void close() {}
}
