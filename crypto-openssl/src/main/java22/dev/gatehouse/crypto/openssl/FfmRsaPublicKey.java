package dev.gatehouse.crypto.openssl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;

/**
 * A public {@code EVP_PKEY} owned by a shared arena, released like {@link FfmRsaKey}: by {@link #close()} or by the
 * cleaner once this object is unreachable, never while a downcall is using it.
 */
final class FfmRsaPublicKey implements OpenSslRsaPublicKey {
    private final FfmLibCrypto crypto;
    private final Arena arena;
    private final MemorySegment pkey;
    private final int bits;
    private final Cleaner.Cleanable release;

    FfmRsaPublicKey(FfmLibCrypto crypto, MemorySegment pkey, int bits) {
        this.crypto = crypto;
        this.arena = Arena.ofShared();
        this.pkey = pkey.reinterpret(arena, crypto::free);
        this.bits = bits;
        this.release = FfmRsaKey.CLEANER.register(this, new FfmRsaKey.Release(arena));
    }

    @Override
    public int modulusBits() {
        return bits;
    }

    @Override
    public boolean verifySha256(byte[] data, byte[] signature) throws OpenSslException {
        try {
            return crypto.verify(pkey, data, signature);
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
        arena.close();
        release.clean();
    }

    @Override
    public String toString() {
        return "OpenSslRsaPublicKey[" + bits + " bits" + (arena.scope().isAlive() ? "" : ", released") + "]";
    }
}
