package dev.gatehouse.core.credential;

/** A new secret and its plain value, as returned once at creation. Never logged: toString redacts. */
public record IssuedSecret(ClientSecret secret, String plainSecret) {
    @Override
    public String toString() {
        return "IssuedSecret[id=" + secret.id() + ", secret=redacted]";
    }
}
