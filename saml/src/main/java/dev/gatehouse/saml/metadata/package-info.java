/**
 * IdP metadata for SAML connections: {@link dev.gatehouse.saml.metadata.DomIdpMetadataParser} (hardened DOM
 * parsing, JDK X.509) and {@link dev.gatehouse.saml.metadata.HttpIdpMetadataFetcher} (SSRF-checked fetch of
 * metadata URLs), implementing the core's {@code IdpMetadataParser} and {@code IdpMetadataFetcher} ports.
 */
package dev.gatehouse.saml.metadata;
