package dev.gatehouse.http.api.connection;

import com.google.protobuf.BoolValue;
import com.google.protobuf.StringValue;
import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.connection.ConnectionPatch;
import dev.gatehouse.core.connection.ConnectionProvider;
import dev.gatehouse.core.connection.ConnectionService;
import dev.gatehouse.core.connection.ConnectionStatus;
import dev.gatehouse.core.connection.ConnectionType;
import dev.gatehouse.core.connection.Domain;
import dev.gatehouse.core.connection.IdpCertificate;
import dev.gatehouse.core.connection.NameIdFormat;
import dev.gatehouse.core.connection.OidcPatch;
import dev.gatehouse.core.connection.OidcSettings;
import dev.gatehouse.core.connection.RequestBinding;
import dev.gatehouse.core.connection.SamlPatch;
import dev.gatehouse.core.connection.SamlSettings;
import dev.gatehouse.core.connection.SamlSigningOption;
import dev.gatehouse.core.connection.ServiceProviderUrls;
import dev.gatehouse.core.connection.TokenAuthMethod;
import dev.gatehouse.http.api.RpcErrors;
import dev.gatehouse.http.api.domain.DomainMessages;
import dev.gatehouse.proto.connections.ConfigurationType;
import dev.gatehouse.proto.connections.IDPCertificate;
import dev.gatehouse.proto.connections.ListConnection;
import dev.gatehouse.proto.connections.OIDCConnectionConfig;
import dev.gatehouse.proto.connections.OIDCScope;
import dev.gatehouse.proto.connections.SAMLConnectionConfigRequest;
import dev.gatehouse.proto.connections.SAMLConnectionConfigResponse;
import dev.gatehouse.proto.connections.SAMLSigningOptions;
import dev.gatehouse.proto.connections.TokenAuthType;
import dev.gatehouse.proto.connections.UpdateConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Between {@code scalekit.v1.connections} messages and the core's connections: parsing at the edge, answers out. */
final class ConnectionMessages {
    private ConnectionMessages() {}

    // ------------------------------------------------------------------ answers

    static dev.gatehouse.proto.connections.Connection toProto(Connection c, List<Domain> domains, String issuerUrl) {
        ServiceProviderUrls sp = ServiceProviderUrls.of(issuerUrl, c);
        var proto = dev.gatehouse.proto.connections.Connection.newBuilder()
                .setId(c.id())
                .setProvider(provider(c.provider()))
                .setType(type(c.type()))
                .setStatus(status(c.status()))
                .setEnabled(c.enabled())
                .setDebugEnabled(c.debugEnabled())
                .setOrganizationId(c.organizationId())
                .setUiButtonTitle(c.uiButtonTitle().orElse(""))
                .setConfigurationType(c.settings().isEmpty() ? ConfigurationType.CONFIGURATION_TYPE_UNSPECIFIED
                        : c.settings().discovered() ? ConfigurationType.DISCOVERY : ConfigurationType.MANUAL)
                .putAllAttributeMapping(c.attributeMapping())
                .setCreateTime(DomainMessages.timestamp(c.createTime()))
                .setUpdateTime(DomainMessages.timestamp(c.updateTime()))
                .setProviderKey(c.provider().name().toLowerCase(Locale.ROOT));
        domains.forEach(d -> proto.addDomains(DomainMessages.toProto(d)));
        c.saml().ifPresent(saml -> proto.setSamlConfig(saml(c, saml, sp)));
        c.oidc().ifPresent(oidc -> proto.setOidcConfig(oidc(oidc, sp)));
        return proto.build();
    }

    static ListConnection toList(Connection c, List<Domain> domains, String organizationName) {
        return ListConnection.newBuilder()
                .setId(c.id())
                .setProvider(provider(c.provider()))
                .setType(type(c.type()))
                .setStatus(status(c.status()))
                .setEnabled(c.enabled())
                .setOrganizationId(c.organizationId())
                .setUiButtonTitle(c.uiButtonTitle().orElse(""))
                .addAllDomains(domains.stream().map(Domain::name).toList())
                .setOrganizationName(organizationName)
                .setProviderKey(c.provider().name().toLowerCase(Locale.ROOT))
                .setCreatedAt(DomainMessages.timestamp(c.createTime()))
                .build();
    }

    private static SAMLConnectionConfigResponse saml(Connection c, SamlSettings s, ServiceProviderUrls sp) {
        var saml = SAMLConnectionConfigResponse.newBuilder()
                .setSpEntityId(sp.samlEntityId())
                .setSpAssertionUrl(sp.samlAcsUrl())
                .setSpMetadataUrl(sp.samlMetadataUrl())
                .setSpSloUrl(string(sp.samlSloUrl()))
                .setIdpNameIdFormat(dev.gatehouse.proto.connections.NameIdFormat.valueOf(s.nameIdFormat().name()))
                .setIdpSsoRequestBinding(binding(s.ssoRequestBinding()))
                .setIdpSloRequestBinding(binding(s.sloRequestBinding()))
                .setSamlSigningOption(signing(s.signingOption()))
                .setAllowIdpInitiatedLogin(bool(s.allowIdpInitiatedLogin()))
                .setForceAuthn(bool(s.forceAuthn()))
                .setAssertionEncrypted(bool(s.assertionEncrypted()))
                .setWantRequestSigned(bool(s.wantRequestSigned()))
                .setIdpSloRequired(bool(s.idpSloRequired()))
                .setAllowSha1Signatures(bool(s.allowSha1Signatures()));
        s.idpMetadataUrl().ifPresent(v -> saml.setIdpMetadataUrl(string(v)));
        s.idpEntityId().ifPresent(v -> saml.setIdpEntityId(string(v)));
        s.idpSsoUrl().ifPresent(v -> saml.setIdpSsoUrl(string(v)));
        s.idpSloUrl().ifPresent(v -> saml.setIdpSloUrl(string(v)));
        c.uiButtonTitle().ifPresent(v -> saml.setUiButtonTitle(string(v)));
        s.defaultRedirectUri().ifPresent(v -> saml.setDefaultRedirectUri(string(v)));
        c.spCredential().ifPresent(v -> saml.setCertificateId(string(v.certificateId())));
        s.metadataRefreshedAt().ifPresent(t -> saml.setIdpMetadataRefreshTime(DomainMessages.timestamp(t)));
        s.metadataError().ifPresent(v -> saml.setIdpMetadataError(string(v)));
        for (IdpCertificate certificate : s.idpCertificates()) {
            saml.addIdpCertificates(IDPCertificate.newBuilder()
                    .setId(certificate.id())
                    .setCertificate(certificate.pem())
                    .setCreateTime(DomainMessages.timestamp(certificate.createTime()))
                    .setExpiryTime(DomainMessages.timestamp(certificate.expiryTime()))
                    .setIssuer(certificate.issuer()));
        }
        return saml.build();
    }

    private static OIDCConnectionConfig oidc(OidcSettings s, ServiceProviderUrls sp) {
        var oidc = OIDCConnectionConfig.newBuilder()
                .setRedirectUri(sp.oidcRedirectUri())
                .setPostLogoutRedirectUri(string(sp.oidcPostLogoutRedirectUri()))
                .setBackchannelLogoutRedirectUri(string(sp.oidcBackchannelLogoutUri()))
                .setTokenAuthType(s.tokenAuthMethod() == TokenAuthMethod.CLIENT_SECRET_BASIC ? TokenAuthType.BASIC_AUTH : TokenAuthType.URL_PARAMS)
                .setPkceEnabled(bool(s.pkceEnabled()))
                .setIdpLogoutRequired(bool(s.idpLogoutRequired()));
        s.issuer().ifPresent(v -> oidc.setIssuer(string(v)));
        s.discoveryEndpoint().ifPresent(v -> oidc.setDiscoveryEndpoint(string(v)));
        s.authorizeUri().ifPresent(v -> oidc.setAuthorizeUri(string(v)));
        s.tokenUri().ifPresent(v -> oidc.setTokenUri(string(v)));
        s.userInfoUri().ifPresent(v -> oidc.setUserInfoUri(string(v)));
        s.jwksUri().ifPresent(v -> oidc.setJwksUri(string(v)));
        s.clientId().ifPresent(v -> oidc.setClientId(string(v)));
        s.clientSecret().ifPresent(sealed -> oidc.setClientSecret(string(ConnectionService.MASKED_SECRET)));
        s.scopes().forEach(scope -> oidc.addScopes(OIDCScope.valueOf(scope)));
        return oidc.build();
    }

    // ------------------------------------------------------------------ requests

    static ConnectionType type(dev.gatehouse.proto.connections.ConnectionType type, String field) {
        return switch (type) {
            case SAML -> ConnectionType.SAML;
            case OIDC -> ConnectionType.OIDC;
            case INVALID -> throw RpcErrors.invalidArgument(field, "type is required: SAML or OIDC", "required");
            default -> throw RpcErrors.invalidArgument(field,
                    "only SAML and OIDC connections are supported for organizations", "enum.in");
        };
    }

    /** The enterprise provider; unspecified is CUSTOM, social providers are refused. */
    static ConnectionProvider provider(dev.gatehouse.proto.connections.ConnectionProvider provider, String field) {
        if (provider == dev.gatehouse.proto.connections.ConnectionProvider.CONNECTION_PROVIDER_UNSPECIFIED) {
            return ConnectionProvider.CUSTOM;
        }
        return ConnectionProvider.fromWire(provider.name()).orElseThrow(() -> RpcErrors.invalidArgument(field,
                "provider " + provider.name() + " is not an enterprise identity provider (social logins are set per environment)",
                "enum.in"));
    }

    static ConnectionPatch toPatch(UpdateConnection u) {
        Optional<String> title = u.hasUiButtonTitle() ? Optional.of(u.getUiButtonTitle().getValue())
                : u.hasSamlConfig() && u.getSamlConfig().hasUiButtonTitle()
                ? Optional.of(u.getSamlConfig().getUiButtonTitle().getValue()) : Optional.empty();
        return new ConnectionPatch(
                u.getType() == dev.gatehouse.proto.connections.ConnectionType.INVALID ? Optional.empty()
                        : Optional.of(type(u.getType(), "connection.type")),
                u.getProvider() == dev.gatehouse.proto.connections.ConnectionProvider.CONNECTION_PROVIDER_UNSPECIFIED
                        ? Optional.empty() : Optional.of(provider(u.getProvider(), "connection.provider")),
                u.hasDebugEnabled() ? Optional.of(u.getDebugEnabled().getValue()) : Optional.empty(),
                title,
                u.getAttributeMappingCount() > 0 ? Optional.of(u.getAttributeMappingMap()) : Optional.empty(),
                u.hasSamlConfig() ? Optional.of(saml(u.getSamlConfig())) : Optional.empty(),
                u.hasOidcConfig() ? Optional.of(oidc(u.getOidcConfig())) : Optional.empty());
    }

    private static SamlPatch saml(SAMLConnectionConfigRequest r) {
        String f = "connection.saml_config.";
        SamlPatch.Builder b = SamlPatch.builder();
        if (r.hasIdpMetadataUrl()) b.idpMetadataUrl(r.getIdpMetadataUrl().getValue());
        if (r.hasIdpMetadataXml()) b.idpMetadataXml(r.getIdpMetadataXml().getValue());
        if (r.hasIdpEntityId()) b.idpEntityId(r.getIdpEntityId().getValue());
        if (r.hasIdpSsoUrl()) b.idpSsoUrl(r.getIdpSsoUrl().getValue());
        if (r.hasIdpCertificate()) b.idpCertificates(r.getIdpCertificate().getValue());
        if (r.hasIdpSloUrl()) b.idpSloUrl(r.getIdpSloUrl().getValue());
        switch (r.getIdpNameIdFormat()) {
            case NAME_ID_FORMAT_NIL -> { }
            case UNRECOGNIZED -> throw RpcErrors.invalidArgument(f + "idp_name_id_format", "unknown idp_name_id_format", "enum.defined_only");
            default -> b.nameIdFormat(NameIdFormat.valueOf(r.getIdpNameIdFormat().name()));
        }
        binding(r.getIdpSsoRequestBinding(), f + "idp_sso_request_binding").ifPresent(b::ssoRequestBinding);
        binding(r.getIdpSloRequestBinding(), f + "idp_slo_request_binding").ifPresent(b::sloRequestBinding);
        switch (r.getSamlSigningOption()) {
            case SAML_SIGNING_OPTIONS_UNSPECIFIED -> { }
            case NO_SIGNING -> b.signingOption(SamlSigningOption.NO_SIGNING);
            case SAML_ONLY_RESPONSE_SIGNING -> b.signingOption(SamlSigningOption.RESPONSE_ONLY);
            case SAML_ONLY_ASSERTION_SIGNING -> b.signingOption(SamlSigningOption.ASSERTION_ONLY);
            case SAML_RESPONSE_ASSERTION_SIGNING -> b.signingOption(SamlSigningOption.RESPONSE_AND_ASSERTION);
            case SAML_RESPONSE_OR_ASSERTION_SIGNING -> b.signingOption(SamlSigningOption.RESPONSE_OR_ASSERTION);
            case UNRECOGNIZED -> throw RpcErrors.invalidArgument(f + "saml_signing_option", "unknown saml_signing_option", "enum.defined_only");
        }
        if (r.hasWantRequestSigned()) b.wantRequestSigned(r.getWantRequestSigned().getValue());
        if (r.hasAssertionEncrypted()) b.assertionEncrypted(r.getAssertionEncrypted().getValue());
        if (r.hasForceAuthn()) b.forceAuthn(r.getForceAuthn().getValue());
        if (r.hasAllowIdpInitiatedLogin()) b.allowIdpInitiatedLogin(r.getAllowIdpInitiatedLogin().getValue());
        if (r.hasIdpSloRequired()) b.idpSloRequired(r.getIdpSloRequired().getValue());
        if (r.hasAllowSha1Signatures()) b.allowSha1Signatures(r.getAllowSha1Signatures().getValue());
        if (r.hasDefaultRedirectUri()) b.defaultRedirectUri(r.getDefaultRedirectUri().getValue());
        if (r.hasSpEntityId()) b.spEntityId(r.getSpEntityId().getValue());
        return b.build();
    }

    private static OidcPatch oidc(OIDCConnectionConfig r) {
        String f = "connection.oidc_config.";
        OidcPatch.Builder b = OidcPatch.builder();
        if (r.hasIssuer()) b.issuer(r.getIssuer().getValue());
        if (r.hasDiscoveryEndpoint()) b.discoveryEndpoint(r.getDiscoveryEndpoint().getValue());
        if (r.hasAuthorizeUri()) b.authorizeUri(r.getAuthorizeUri().getValue());
        if (r.hasTokenUri()) b.tokenUri(r.getTokenUri().getValue());
        if (r.hasUserInfoUri()) b.userInfoUri(r.getUserInfoUri().getValue());
        if (r.hasJwksUri()) b.jwksUri(r.getJwksUri().getValue());
        if (r.hasClientId()) b.clientId(r.getClientId().getValue());
        if (r.hasClientSecret()) b.clientSecret(r.getClientSecret().getValue());
        if (r.getScopesCount() > 0) {
            List<String> scopes = new ArrayList<>();
            for (OIDCScope scope : r.getScopesList()) {
                if (scope == OIDCScope.OIDC_SCOPE_UNSPECIFIED || scope == OIDCScope.UNRECOGNIZED) {
                    throw RpcErrors.invalidArgument(f + "scopes", "unknown scope", "enum.defined_only");
                }
                scopes.add(scope.name());
            }
            b.scopes(scopes);
        }
        switch (r.getTokenAuthType()) {
            case TOKEN_AUTH_TYPE_UNSPECIFIED -> { }
            case URL_PARAMS -> b.tokenAuthMethod(TokenAuthMethod.CLIENT_SECRET_POST);
            case BASIC_AUTH -> b.tokenAuthMethod(TokenAuthMethod.CLIENT_SECRET_BASIC);
            case UNRECOGNIZED -> throw RpcErrors.invalidArgument(f + "token_auth_type", "unknown token_auth_type", "enum.defined_only");
        }
        if (r.hasPkceEnabled()) b.pkceEnabled(r.getPkceEnabled().getValue());
        if (r.hasIdpLogoutRequired()) b.idpLogoutRequired(r.getIdpLogoutRequired().getValue());
        return b.build();
    }

    private static Optional<RequestBinding> binding(dev.gatehouse.proto.connections.RequestBinding binding, String field) {
        return switch (binding) {
            case REQUEST_BINDING_UNSPECIFIED -> Optional.empty();
            case HTTP_POST -> Optional.of(RequestBinding.HTTP_POST);
            case HTTP_REDIRECT -> Optional.of(RequestBinding.HTTP_REDIRECT);
            case UNRECOGNIZED -> throw RpcErrors.invalidArgument(field, "unknown request binding", "enum.defined_only");
        };
    }

    // ------------------------------------------------------------------ enums out

    static dev.gatehouse.proto.connections.ConnectionProvider provider(ConnectionProvider provider) {
        return dev.gatehouse.proto.connections.ConnectionProvider.valueOf(provider.name());
    }

    static dev.gatehouse.proto.connections.ConnectionType type(ConnectionType type) {
        return type == ConnectionType.SAML ? dev.gatehouse.proto.connections.ConnectionType.SAML
                : dev.gatehouse.proto.connections.ConnectionType.OIDC;
    }

    static dev.gatehouse.proto.connections.ConnectionStatus status(ConnectionStatus status) {
        return dev.gatehouse.proto.connections.ConnectionStatus.valueOf(status.name());
    }

    private static dev.gatehouse.proto.connections.RequestBinding binding(RequestBinding binding) {
        return dev.gatehouse.proto.connections.RequestBinding.valueOf(binding.name());
    }

    private static SAMLSigningOptions signing(SamlSigningOption option) {
        return switch (option) {
            case NO_SIGNING -> SAMLSigningOptions.NO_SIGNING;
            case RESPONSE_ONLY -> SAMLSigningOptions.SAML_ONLY_RESPONSE_SIGNING;
            case ASSERTION_ONLY -> SAMLSigningOptions.SAML_ONLY_ASSERTION_SIGNING;
            case RESPONSE_AND_ASSERTION -> SAMLSigningOptions.SAML_RESPONSE_ASSERTION_SIGNING;
            case RESPONSE_OR_ASSERTION -> SAMLSigningOptions.SAML_RESPONSE_OR_ASSERTION_SIGNING;
        };
    }

    private static StringValue string(String value) {
        return StringValue.of(value);
    }

    private static BoolValue bool(boolean value) {
        return BoolValue.of(value);
    }
}
