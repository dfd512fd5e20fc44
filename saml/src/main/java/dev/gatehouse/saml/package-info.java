/**
 * SAML 2.0 service provider: strict response validation (Apache Santuario verifies signatures; only the
 * verified DOM is read afterwards), AuthnRequests, SP metadata and IdP metadata. Depends on core only.
 */
package dev.gatehouse.saml;
