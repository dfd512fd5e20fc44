package dev.gatehouse.core.credential;

/** A client and its plain secret, as returned once at creation. Never logged: toString redacts. */
public record IssuedCredentials(EnvironmentClient client, String plainSecret) {
    @Override
    public String toString() {
        return "IssuedCredentials[client=" + client.id() + ", secret=redacted]";
    }
}
