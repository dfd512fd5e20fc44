package dev.gatehouse.core.connection;

/**
 * Reads an IdP's SAML metadata document. Implemented in {@code dev.gatehouse.saml.metadata} (hardened XML
 * parsing: no DOCTYPE, no external entities).
 */
public interface IdpMetadataParser {
    /** The metadata of the one identity provider in {@code document}; throws {@link IdpMetadataException}. */
    IdpMetadata parse(byte[] document);
}
