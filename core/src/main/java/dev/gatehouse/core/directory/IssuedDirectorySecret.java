package dev.gatehouse.core.directory;

/** A new bearer token: the plain value exists only here, in the answer to whoever asked for it. */
public record IssuedDirectorySecret(DirectorySecret secret, String plainSecret) {
    @Override
    public String toString() {
        return "IssuedDirectorySecret[" + secret.id() + ", plainSecret=redacted]";
    }
}
