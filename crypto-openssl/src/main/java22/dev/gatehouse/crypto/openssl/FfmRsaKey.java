package dev.gatehouse.crypto.openssl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;

/**
 * An {@code EVP_PKEY} owned by a shared arena: closing the arena frees the key, and a downcall that is
 * using the key keeps the arena open (FFM's own liveness check), so OpenSSL never sees a freed key.
 * The arena is closed by {@link #close()} or by a {@link Cleaner} once this object is unreachable, i.e.
 * after the last in-flight signature of a key that left the key ring.
 */
final class FfmRsaKey implements OpenSslRsaKey {
    static final Cleaner CLEANER = Cleaner.create();

    private final FfmLibCrypto crypto;
    private final Arena arena;
    private final MemorySegment pkey;
    private final int bits;
    private final int signatureSize;
    private final Cleaner.Cleanable release;

    FfmRsaKey(FfmLibCrypto crypto, MemorySegment pkey, int bits, int signatureSize) {
        this.crypto = crypto;
        this.arena = Arena.ofShared();
        this.pkey = pkey.reinterpret(arena, crypto::free);
        this.bits = bits;
        this.signatureSize = signatureSize;
        this.release = CLEANER.register(this, new Release(arena));
    }

    /**
     * The cleaning action of a key held in native memory (private or public): holds the arena only, never the key
     * object (which would then stay reachable).
     */
    record Release(Arena arena) implements Runnable {
        @Override
        public void run() {
            if (arena.scope().isAlive()) {
                arena.close();
            }
        }
    }

    @Override
    public int modulusBits() {
        return bits;
    }

    @Override
    public byte[] signSha256(byte[] data) throws OpenSslException {
        try {
            return crypto.sign(pkey, signatureSize, data);
        } catch (IllegalStateException e) {
            if (!arena.scope().isAlive()) {
                throw new OpenSslException("the key was released");
            }
            throw e;
        }
    }

    @Override
    public void close() {
        if (!arena.scope().isAlive()) {
            return;
        }
        arena.close(); // IllegalStateException while a signature is running: the key stays usable and registered
        release.clean();
    }

    @Override
    public String toString() {
        return "OpenSslRsaKey[" + bits + " bits" + (arena.scope().isAlive() ? "" : ", released") + "]";
    }
}
