package dev.gatehouse.crypto.openssl;

/** An OpenSSL call failed or could not be made; the message carries OpenSSL's own reasons when it gave any. */
public final class OpenSslException extends Exception {
    public OpenSslException(String message) {
        super(message);
    }
}
