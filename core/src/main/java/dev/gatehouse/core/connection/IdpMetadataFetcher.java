package dev.gatehouse.core.connection;

/**
 * Fetches an IdP metadata URL. Implementations refuse destinations the SSRF policy refuses (private, loopback and
 * link-local addresses unless a dev setting allows them), bound the size and the time, and follow no redirect to
 * a refused destination.
 */
public interface IdpMetadataFetcher {
    /** The document's bytes; throws {@link IdpMetadataException} with a reason fit for the admin. */
    byte[] fetch(String url);
}
