package dev.gatehouse.http.portal;

import java.util.List;
import java.util.Map;

/**
 * One connection in the portal: Gatehouse's values to give the IdP, the IdP's values as configured, and the forms
 * that change them. The OIDC client secret is never shown: only whether one is set. {@code testUrl} (else empty) is
 * the link that runs a just prepared connection test in a new window.
 */
public record PortalConnectionPage(PortalFrame frame, String id, String type, String provider, String status,
                                   boolean enabled, List<String> missing, boolean testable,
                                   String spEntityId, String acsUrl, String spMetadataUrl, String idpMetadataUrl,
                                   String idpEntityId, String idpSsoUrl, List<String> certificates, String metadataError,
                                   String oidcRedirectUri, String issuer, String clientId, boolean clientSecretSet,
                                   String scopes, List<Map.Entry<String, String>> attributeMapping, String testUrl) {
    public PortalConnectionPage {
        missing = List.copyOf(missing);
        certificates = List.copyOf(certificates);
        attributeMapping = List.copyOf(attributeMapping);
    }

    public boolean saml() {
        return type.equals("SAML");
    }

    public String secretPlaceholder() {
        return clientSecretSet ? "Set: leave empty to keep it" : "Not set";
    }

    /** The action of the enable/disable form. */
    public String toggleAction() {
        return enabled ? "disable" : "enable";
    }
}
