package dev.gatehouse.core.connection;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * What Gatehouse takes from an IdP's SAML metadata (SAML 2.0 metadata §2.4.3): its entity ID, its SSO and SLO
 * endpoints per binding, every signing certificate it lists (several during a rollover), and whether it wants
 * signed AuthnRequests.
 */
public record IdpMetadata(
        String entityId,
        Map<RequestBinding, String> ssoUrls,
        Map<RequestBinding, String> sloUrls,
        List<X509Certificate> signingCertificates,
        boolean wantAuthnRequestsSigned) {

    public IdpMetadata {
        ssoUrls = Map.copyOf(ssoUrls);
        sloUrls = Map.copyOf(sloUrls);
        signingCertificates = List.copyOf(signingCertificates);
    }
}
