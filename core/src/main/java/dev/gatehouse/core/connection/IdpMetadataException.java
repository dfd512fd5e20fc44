package dev.gatehouse.core.connection;

/** IdP metadata that cannot be fetched or used; the message is safe to show the admin (spec code invalid_saml_metadata). */
public final class IdpMetadataException extends RuntimeException {
    public IdpMetadataException(String message) {
        super(message, null, false, false);
    }
}
