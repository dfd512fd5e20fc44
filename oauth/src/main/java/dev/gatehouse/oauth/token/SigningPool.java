package dev.gatehouse.oauth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.oauth.key.KeyRing;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed pool of signing threads, one per core. RSA signing is pure CPU; running it on the
 * (large) blocking executor lets dozens of threads compete for two cores, starves the event loops
 * and stretches the latency tail. Here at most {@code threads} signatures run at once and the rest
 * wait in a FIFO queue, so latency grows evenly with load.
 */
public final class SigningPool implements AutoCloseable {
    private final ExecutorService executor;

    public SigningPool(int threads) {
        AtomicInteger counter = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "gatehouse-signing-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public static SigningPool perCore() {
        return new SigningPool(Runtime.getRuntime().availableProcessors());
    }

    /** Signs {@code jwt} with the key on a signing thread; the caller waits. */
    void sign(SignedJWT jwt, KeyRing.ActiveKey key) {
        Future<?> signed = executor.submit(() -> {
            try {
                jwt.sign(key.signer());
            } catch (JOSEException e) {
                throw new IllegalStateException("signing failed with key " + key.kid(), e);
            }
        });
        try {
            signed.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signing", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
