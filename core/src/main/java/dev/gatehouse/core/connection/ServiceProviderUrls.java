package dev.gatehouse.core.connection;

/**
 * Gatehouse's side of a connection, the URLs the IT admin gives the IdP (spec-sso.md §3.4), all under the
 * environment's issuer URL. The SAML entity ID is the SP metadata URL (so it resolves to the metadata) unless
 * the admin chose another one.
 */
public record ServiceProviderUrls(
        String samlEntityId,
        String samlAcsUrl,
        String samlMetadataUrl,
        String samlSloUrl,
        String oidcRedirectUri,
        String oidcPostLogoutRedirectUri,
        String oidcBackchannelLogoutUri) {

    public static ServiceProviderUrls of(String issuerUrl, Connection connection) {
        String base = (issuerUrl.endsWith("/") ? issuerUrl.substring(0, issuerUrl.length() - 1) : issuerUrl);
        String saml = base + "/sso/v1/saml/" + connection.id();
        String oidc = base + "/sso/v1/oidc/" + connection.id();
        String metadata = saml + "/metadata";
        String entityId = connection.saml().flatMap(SamlSettings::spEntityId).orElse(metadata);
        return new ServiceProviderUrls(entityId, saml + "/callback", metadata, saml + "/slo/callback",
                oidc + "/callback", oidc + "/logout/callback", oidc + "/backchannel-logout");
    }
}
