package dev.gatehouse.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.connection.ConnectionSettings;
import dev.gatehouse.core.connection.IdpCertificate;
import dev.gatehouse.core.connection.NameIdFormat;
import dev.gatehouse.core.connection.OidcSettings;
import dev.gatehouse.core.connection.RequestBinding;
import dev.gatehouse.core.connection.SamlSettings;
import dev.gatehouse.core.connection.SamlSigningOption;
import dev.gatehouse.core.connection.SealedValue;
import dev.gatehouse.core.connection.TokenAuthMethod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code connections.settings} JSON column: SAML or OIDC settings, written and read field by field. */
final class ConnectionSettingsJson {
    private ConnectionSettingsJson() {}

    static String write(ConnectionSettings settings) {
        ObjectNode json = JsonColumns.JSON.createObjectNode();
        switch (settings) {
            case SamlSettings s -> {
                json.put("kind", "saml");
                put(json, "idp_metadata_url", s.idpMetadataUrl());
                put(json, "idp_entity_id", s.idpEntityId());
                put(json, "idp_sso_url", s.idpSsoUrl());
                put(json, "idp_slo_url", s.idpSloUrl());
                ArrayNode certificates = json.putArray("idp_certificates");
                for (IdpCertificate c : s.idpCertificates()) {
                    certificates.addObject()
                            .put("id", c.id()).put("pem", c.pem()).put("create_time", c.createTime().toString())
                            .put("not_before", c.notBefore().toString()).put("expiry_time", c.expiryTime().toString())
                            .put("issuer", c.issuer()).put("subject", c.subject()).put("sha256", c.sha256Fingerprint());
                }
                json.put("name_id_format", s.nameIdFormat().name());
                json.put("sso_binding", s.ssoRequestBinding().name());
                json.put("slo_binding", s.sloRequestBinding().name());
                json.put("signing_option", s.signingOption().name());
                json.put("want_request_signed", s.wantRequestSigned());
                json.put("assertion_encrypted", s.assertionEncrypted());
                json.put("force_authn", s.forceAuthn());
                json.put("allow_idp_initiated_login", s.allowIdpInitiatedLogin());
                json.put("idp_slo_required", s.idpSloRequired());
                json.put("allow_sha1_signatures", s.allowSha1Signatures());
                put(json, "default_redirect_uri", s.defaultRedirectUri());
                put(json, "sp_entity_id", s.spEntityId());
                put(json, "metadata_refreshed_at", s.metadataRefreshedAt().map(Instant::toString));
                put(json, "metadata_error", s.metadataError());
            }
            case OidcSettings s -> {
                json.put("kind", "oidc");
                put(json, "issuer", s.issuer());
                put(json, "discovery_endpoint", s.discoveryEndpoint());
                put(json, "authorize_uri", s.authorizeUri());
                put(json, "token_uri", s.tokenUri());
                put(json, "user_info_uri", s.userInfoUri());
                put(json, "jwks_uri", s.jwksUri());
                put(json, "client_id", s.clientId());
                put(json, "client_secret_sealed", s.clientSecret().map(SealedValue::base64));
                ArrayNode scopes = json.putArray("scopes");
                s.scopes().forEach(scopes::add);
                json.put("token_auth_method", s.tokenAuthMethod().name());
                json.put("pkce_enabled", s.pkceEnabled());
                json.put("idp_logout_required", s.idpLogoutRequired());
            }
        }
        return json.toString();
    }

    static ConnectionSettings read(String text) {
        JsonNode json;
        try {
            json = JsonColumns.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("connection settings column is not JSON", e);
        }
        if ("saml".equals(json.path("kind").asText())) {
            List<IdpCertificate> certificates = new ArrayList<>();
            for (JsonNode c : json.path("idp_certificates")) {
                certificates.add(new IdpCertificate(c.path("id").asText(), c.path("pem").asText(),
                        Instant.parse(c.path("create_time").asText()), Instant.parse(c.path("not_before").asText()),
                        Instant.parse(c.path("expiry_time").asText()), c.path("issuer").asText(),
                        c.path("subject").asText(), c.path("sha256").asText()));
            }
            return new SamlSettings(text(json, "idp_metadata_url"), text(json, "idp_entity_id"), text(json, "idp_sso_url"),
                    text(json, "idp_slo_url"), certificates,
                    NameIdFormat.valueOf(json.path("name_id_format").asText()),
                    RequestBinding.valueOf(json.path("sso_binding").asText()),
                    RequestBinding.valueOf(json.path("slo_binding").asText()),
                    SamlSigningOption.valueOf(json.path("signing_option").asText()),
                    json.path("want_request_signed").asBoolean(), json.path("assertion_encrypted").asBoolean(),
                    json.path("force_authn").asBoolean(), json.path("allow_idp_initiated_login").asBoolean(),
                    json.path("idp_slo_required").asBoolean(), json.path("allow_sha1_signatures").asBoolean(),
                    text(json, "default_redirect_uri"), text(json, "sp_entity_id"),
                    text(json, "metadata_refreshed_at").map(Instant::parse), text(json, "metadata_error"));
        }
        List<String> scopes = new ArrayList<>();
        json.path("scopes").forEach(scope -> scopes.add(scope.asText()));
        return new OidcSettings(text(json, "issuer"), text(json, "discovery_endpoint"), text(json, "authorize_uri"),
                text(json, "token_uri"), text(json, "user_info_uri"), text(json, "jwks_uri"), text(json, "client_id"),
                text(json, "client_secret_sealed").map(SealedValue::new), scopes,
                TokenAuthMethod.valueOf(json.path("token_auth_method").asText()),
                json.path("pkce_enabled").asBoolean(), json.path("idp_logout_required").asBoolean());
    }

    private static void put(ObjectNode json, String name, Optional<String> value) {
        value.ifPresent(v -> json.put(name, v));
    }

    private static Optional<String> text(JsonNode json, String name) {
        JsonNode value = json.get(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }
}
