/**
 * RS256 signatures computed by the system's OpenSSL 3 ({@code libcrypto}), called through the FFM API.
 * {@link dev.gatehouse.crypto.openssl.OpenSsl#load} finds and checks the library; the FFM code lives in
 * {@code src/main/java22} and reaches the runtime as {@code META-INF/versions/22} of the multi-release jar.
 */
package dev.gatehouse.crypto.openssl;
