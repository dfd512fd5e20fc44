package dev.gatehouse.crypto.openssl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OpenSSL 3's {@code libcrypto} through the FFM API: the handful of EVP functions that import a PKCS#8 key
 * and compute an RS256 signature, import an X.509 public key and verify one, plus the error queue. The library is never unloaded (global arena);
 * SHA-256 is fetched once. Signatures assume LP64 (C {@code long} and {@code size_t} are 64-bit).
 */
final class FfmLibCrypto implements LibCrypto {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final long OPENSSL_3 = 0x3000_0000L;
    private static final int OPENSSL_VERSION = 0;
    private static final int EVP_PKEY_RSA = 6;
    private static final int MAX_REASONS = 4;
    private static final long ERROR_TEXT_BYTES = 256;

    private final String library;
    private final String version;
    private final MethodHandle d2iAutoPrivateKey;
    private final MethodHandle pkeyFree;
    private final MethodHandle pkeyBaseId;
    private final MethodHandle pkeyBits;
    private final MethodHandle pkeySize;
    private final MethodHandle mdCtxNew;
    private final MethodHandle mdCtxFree;
    private final MethodHandle digestSignInit;
    private final MethodHandle digestSign;
    private final MethodHandle d2iPubkey;
    private final MethodHandle digestVerifyInit;
    private final MethodHandle digestVerify;
    private final MethodHandle errClearError;
    private final MethodHandle errGetError;
    private final MethodHandle errErrorStringN;
    private final MemorySegment sha256;
    private final AtomicInteger liveKeys = new AtomicInteger();

    private FfmLibCrypto(String library, SymbolLookup lookup) throws OpenSslException {
        this.library = library;
        MethodHandle versionNumber = function(lookup, "OpenSSL_version_num", FunctionDescriptor.of(JAVA_LONG));
        MethodHandle versionText = function(lookup, "OpenSSL_version", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        this.version = versionText(versionText);
        long number = call(() -> (long) versionNumber.invokeExact());
        if (Long.compareUnsigned(number, OPENSSL_3) < 0) {
            throw new OpenSslException(library + " is " + version + "; OpenSSL 3 or newer is needed");
        }
        this.d2iAutoPrivateKey = function(lookup, "d2i_AutoPrivateKey", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        this.pkeyFree = function(lookup, "EVP_PKEY_free", FunctionDescriptor.ofVoid(ADDRESS));
        this.pkeyBaseId = function(lookup, "EVP_PKEY_get_base_id", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        this.pkeyBits = function(lookup, "EVP_PKEY_get_bits", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        this.pkeySize = function(lookup, "EVP_PKEY_get_size", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle mdFetch = function(lookup, "EVP_MD_fetch", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        this.mdCtxNew = function(lookup, "EVP_MD_CTX_new", FunctionDescriptor.of(ADDRESS));
        this.mdCtxFree = function(lookup, "EVP_MD_CTX_free", FunctionDescriptor.ofVoid(ADDRESS));
        this.digestSignInit = function(lookup, "EVP_DigestSignInit",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        this.digestSign = function(lookup, "EVP_DigestSign",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        this.d2iPubkey = function(lookup, "d2i_PUBKEY", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        this.digestVerifyInit = function(lookup, "EVP_DigestVerifyInit",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        this.digestVerify = function(lookup, "EVP_DigestVerify",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        this.errClearError = function(lookup, "ERR_clear_error", FunctionDescriptor.ofVoid());
        this.errGetError = function(lookup, "ERR_get_error", FunctionDescriptor.of(JAVA_LONG));
        this.errErrorStringN = function(lookup, "ERR_error_string_n", FunctionDescriptor.ofVoid(JAVA_LONG, ADDRESS, JAVA_LONG));
        MemorySegment md;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = call.allocateFrom("SHA256");
            md = call(() -> (MemorySegment) mdFetch.invokeExact(MemorySegment.NULL, name, MemorySegment.NULL));
        }
        if (md.address() == 0) {
            throw failure("EVP_MD_fetch(SHA256)");
        }
        this.sha256 = md; // process lifetime, like the library: never freed
    }

    /** Loads {@code candidate} (a path when it contains '/', else a name for the dynamic loader) and binds it. */
    static FfmLibCrypto open(String candidate) throws OpenSslException {
        if (LINKER.canonicalLayouts().get("long").byteSize() != Long.BYTES
                || LINKER.canonicalLayouts().get("size_t").byteSize() != Long.BYTES) {
            throw new OpenSslException("C long or size_t is not 64-bit on this platform");
        }
        SymbolLookup lookup;
        try {
            lookup = candidate.indexOf('/') >= 0
                    ? SymbolLookup.libraryLookup(Path.of(candidate), Arena.global())
                    : SymbolLookup.libraryLookup(candidate, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new OpenSslException(candidate + " could not be loaded (" + e.getMessage() + ")");
        }
        return new FfmLibCrypto(candidate, lookup);
    }

    @Override
    public String library() {
        return library;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public int liveKeys() {
        return liveKeys.get();
    }

    @Override
    public OpenSslRsaKey importRsaPrivateKey(byte[] pkcs8Der) throws OpenSslException {
        MemorySegment pkey;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment der = call.allocateFrom(JAVA_BYTE, pkcs8Der);
            MemorySegment cursor = call.allocateFrom(ADDRESS, der); // d2i advances it past what it read
            try {
                pkey = call(() -> (MemorySegment) d2iAutoPrivateKey.invokeExact(MemorySegment.NULL, cursor, (long) pkcs8Der.length));
            } finally {
                der.fill((byte) 0);
            }
        }
        if (pkey.address() == 0) {
            throw failure("d2i_AutoPrivateKey");
        }
        liveKeys.incrementAndGet();
        int type;
        int bits;
        int size;
        try {
            type = call(() -> (int) pkeyBaseId.invokeExact(pkey));
            bits = call(() -> (int) pkeyBits.invokeExact(pkey));
            size = call(() -> (int) pkeySize.invokeExact(pkey));
        } catch (RuntimeException | Error e) {
            free(pkey);
            throw e;
        }
        if (type != EVP_PKEY_RSA || bits < 2048 || size <= 0) {
            free(pkey);
            throw new OpenSslException("not an RSA key of 2048 bits or more (EVP_PKEY type " + type + ", " + bits + " bits)");
        }
        return new FfmRsaKey(this, pkey, bits, size);
    }

    /** One RS256 signature: a fresh EVP_MD_CTX, DigestSignInit with SHA-256, DigestSign, free. */
    byte[] sign(MemorySegment pkey, int signatureSize, byte[] data) throws OpenSslException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment input = call.allocateFrom(JAVA_BYTE, data);
            MemorySegment signature = call.allocate(signatureSize);
            MemorySegment length = call.allocateFrom(JAVA_LONG, signatureSize);
            MemorySegment ctx = call(() -> (MemorySegment) mdCtxNew.invokeExact());
            if (ctx.address() == 0) {
                throw failure("EVP_MD_CTX_new");
            }
            try {
                int initialized = call(() -> (int) digestSignInit.invokeExact(ctx, MemorySegment.NULL, sha256, MemorySegment.NULL, pkey));
                if (initialized != 1) {
                    throw failure("EVP_DigestSignInit");
                }
                int signed = call(() -> (int) digestSign.invokeExact(ctx, signature, length, input, (long) data.length));
                if (signed != 1) {
                    throw failure("EVP_DigestSign");
                }
            } finally {
                call(() -> {
                    mdCtxFree.invokeExact(ctx);
                    return null;
                });
            }
            long written = length.get(JAVA_LONG, 0);
            if (written <= 0 || written > signatureSize) {
                throw new OpenSslException("EVP_DigestSign reported a signature of " + written + " bytes");
            }
            return signature.asSlice(0, written).toArray(JAVA_BYTE);
        }
    }

    @Override
    public OpenSslRsaPublicKey importRsaPublicKey(byte[] spkiDer) throws OpenSslException {
        MemorySegment pkey;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment der = call.allocateFrom(JAVA_BYTE, spkiDer);
            MemorySegment cursor = call.allocateFrom(ADDRESS, der); // d2i advances it past what it read
            pkey = call(() -> (MemorySegment) d2iPubkey.invokeExact(MemorySegment.NULL, cursor, (long) spkiDer.length));
        }
        if (pkey.address() == 0) {
            throw failure("d2i_PUBKEY");
        }
        liveKeys.incrementAndGet();
        int type;
        int bits;
        try {
            type = call(() -> (int) pkeyBaseId.invokeExact(pkey));
            bits = call(() -> (int) pkeyBits.invokeExact(pkey));
        } catch (RuntimeException | Error e) {
            free(pkey);
            throw e;
        }
        if (type != EVP_PKEY_RSA || bits <= 0) {
            free(pkey);
            throw new OpenSslException("not an RSA public key (EVP_PKEY type " + type + ")");
        }
        return new FfmRsaPublicKey(this, pkey, bits);
    }

    /**
     * One RS256 verification: a fresh EVP_MD_CTX, DigestVerifyInit with SHA-256, DigestVerify, free. Only a result
     * of 1 is a valid signature; any other result clears this thread's error queue and is {@code false}, unless
     * the context could not even be set up (then it throws).
     */
    boolean verify(MemorySegment pkey, byte[] data, byte[] signature) throws OpenSslException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment input = call.allocateFrom(JAVA_BYTE, data);
            MemorySegment sig = call.allocateFrom(JAVA_BYTE, signature);
            MemorySegment ctx = call(() -> (MemorySegment) mdCtxNew.invokeExact());
            if (ctx.address() == 0) {
                throw failure("EVP_MD_CTX_new");
            }
            try {
                int initialized = call(() -> (int) digestVerifyInit.invokeExact(ctx, MemorySegment.NULL, sha256, MemorySegment.NULL, pkey));
                if (initialized != 1) {
                    throw failure("EVP_DigestVerifyInit");
                }
                int verified = call(() -> (int) digestVerify.invokeExact(ctx, sig, (long) signature.length, input, (long) data.length));
                if (verified != 1) {
                    call(() -> {
                        errClearError.invokeExact();
                        return null;
                    });
                    return false;
                }
                return true;
            } finally {
                call(() -> {
                    mdCtxFree.invokeExact(ctx);
                    return null;
                });
            }
        }
    }

    /** The cleanup of a key's arena: frees the EVP_PKEY (EVP_PKEY_free is reference counted in OpenSSL). */
    void free(MemorySegment pkey) {
        call(() -> {
            pkeyFree.invokeExact(pkey);
            return null;
        });
        liveKeys.decrementAndGet();
    }

    /** Drains this thread's OpenSSL error queue into an exception naming the failed call. */
    private OpenSslException failure(String function) {
        List<String> reasons = new ArrayList<>();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment text = call.allocate(ERROR_TEXT_BYTES);
            for (long code = nextError(); code != 0; code = nextError()) {
                if (reasons.size() < MAX_REASONS) {
                    long error = code;
                    call(() -> {
                        errErrorStringN.invokeExact(error, text, ERROR_TEXT_BYTES);
                        return null;
                    });
                    reasons.add(text.getString(0));
                }
            }
        }
        return new OpenSslException(function + " failed" + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons)));
    }

    private long nextError() {
        return call(() -> (long) errGetError.invokeExact());
    }

    private static String versionText(MethodHandle versionText) {
        MemorySegment text = call(() -> (MemorySegment) versionText.invokeExact(OPENSSL_VERSION));
        return text.address() == 0 ? "OpenSSL (unknown version)" : text.reinterpret(Long.MAX_VALUE).getString(0);
    }

    private MethodHandle function(SymbolLookup lookup, String name, FunctionDescriptor descriptor) throws OpenSslException {
        MemorySegment address = lookup.find(name)
                .orElseThrow(() -> new OpenSslException(library + " has no " + name + " (not OpenSSL 3's libcrypto)"));
        return LINKER.downcallHandle(address, descriptor);
    }

    /** A downcall: {@code invokeExact} declares Throwable, but these handles only throw unchecked exceptions. */
    private static <T> T call(Downcall<T> downcall) {
        try {
            return downcall.invoke();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("unexpected failure of a libcrypto call", e);
        }
    }

    @FunctionalInterface
    private interface Downcall<T> {
        T invoke() throws Throwable;
    }
}
