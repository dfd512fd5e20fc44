package dev.gatehouse.crypto.openssl;

/** The outcome of looking for a usable {@code libcrypto}: loaded and self-checked, or why not. */
public sealed interface LibCryptoLoad {
    record Loaded(LibCrypto library) implements LibCryptoLoad {}

    record NotLoaded(String reason) implements LibCryptoLoad {}
}
