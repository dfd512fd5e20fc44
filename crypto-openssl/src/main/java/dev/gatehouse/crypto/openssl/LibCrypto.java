package dev.gatehouse.crypto.openssl;

/** A loaded OpenSSL 3 {@code libcrypto}. Thread-safe. */
public interface LibCrypto {
    /** Where it was loaded from: the path or library name it was found by. */
    String library();

    /** OpenSSL's version line, e.g. {@code OpenSSL 3.0.19 27 Jan 2026}. */
    String version();

    /**
     * Imports an RSA private key (PKCS#8 DER, as {@code PrivateKey.getEncoded()} gives it) into an
     * {@code EVP_PKEY}, once; every signature then reuses it. The native copy of {@code pkcs8Der} is
     * wiped after the import.
     */
    OpenSslRsaKey importRsaPrivateKey(byte[] pkcs8Der) throws OpenSslException;

    /**
     * Imports an RSA public key (X.509 SubjectPublicKeyInfo DER, as {@code PublicKey.getEncoded()} gives it) into an
     * {@code EVP_PKEY}, once; every verification then reuses it.
     */
    OpenSslRsaPublicKey importRsaPublicKey(byte[] spkiDer) throws OpenSslException;

    /** Keys imported and not released yet (their {@code EVP_PKEY} still allocated). */
    int liveKeys();
}
