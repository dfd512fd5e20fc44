package dev.gatehouse.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keycloak 26 as the customer's SAML IdP: realms, SAML clients and users on the test JVM's shared
 * {@link KeycloakProcess}, made through its admin REST API (docs/DECISIONS.md D-SS7, D-KB4).
 */
final class SamlKeycloakIdp {
    private final KeycloakProcess keycloak;

    private SamlKeycloakIdp(KeycloakProcess keycloak) {
        this.keycloak = keycloak;
    }

    /** The SAML side of the test JVM's one Keycloak, started on first use. */
    static SamlKeycloakIdp shared() {
        return new SamlKeycloakIdp(KeycloakProcess.shared());
    }

    String baseUrl() {
        return keycloak.baseUrl();
    }

    /** The realm's SAML IdP metadata document. */
    String descriptor(String realm) {
        return keycloak.get(descriptorUrl(realm));
    }

    /** Where Keycloak publishes the realm's SAML IdP metadata: the URL an admin pastes into Gatehouse. */
    String descriptorUrl(String realm) {
        return baseUrl() + "/realms/" + realm + "/protocol/saml/descriptor";
    }

    /**
     * Rotates the realm's signing key as an admin does in Keycloak's console (Realm settings → Keys → Add provider): a
     * new generated RSA key with a higher priority than the default one (100), so Keycloak signs with it from now on
     * and publishes both certificates in its metadata. Returns the new key's certificate (base64 DER).
     */
    String rotateSigningKey(String realm) {
        String realmId = keycloak.adminGet("/admin/realms/" + realm).path("id").asText();
        keycloak.admin("POST", "/admin/realms/" + realm + "/components", Map.of("name", "rotated-rsa",
                "providerId", "rsa-generated", "providerType", "org.keycloak.keys.KeyProvider", "parentId", realmId,
                "config", Map.of("priority", List.of("200"), "keySize", List.of("2048"), "algorithm", List.of("RS256"))));
        for (var key : keycloak.adminGet("/admin/realms/" + realm + "/keys").path("keys")) {
            if (key.path("providerPriority").asLong() == 200 && key.path("use").asText().equals("SIG")) {
                return key.path("certificate").asText();
            }
        }
        throw new IllegalStateException("the rotated key is not among realm " + realm + "'s keys");
    }

    /** Where an IdP-initiated login of the client with this URL name starts. */
    String idpInitiatedUrl(String realm, String urlName) {
        return baseUrl() + "/realms/" + realm + "/protocol/saml/clients/" + urlName;
    }

    /** What the SP (Gatehouse) asks of its Keycloak client. */
    record SamlClient(String entityId, String acsUrl, String idpInitiatedName, boolean signRequests,
                      boolean encryptAssertions, String spCertificateBase64) {}

    /** A realm with one user (password, verified email, first and last name). */
    void createRealm(String realm, String username, String password, String email) {
        keycloak.createRealmWithUser(realm, username, password, email);
    }

    /**
     * A SAML client for the SP: signed Response and Assertion (RSA-SHA256, exclusive c14n), NameID = email, the
     * email / firstName / lastName attributes, optionally encrypted assertions and required request signatures.
     */
    void createSamlClient(String realm, SamlClient client) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("saml.server.signature", "true");
        attributes.put("saml.assertion.signature", "true");
        attributes.put("saml.signature.algorithm", "RSA_SHA256");
        attributes.put("saml_signature_canonicalization_method", "http://www.w3.org/2001/10/xml-exc-c14n#");
        attributes.put("saml.authnstatement", "true");
        attributes.put("saml_force_name_id_format", "true");
        attributes.put("saml_name_id_format", "email");
        attributes.put("saml_assertion_consumer_url_post", client.acsUrl());
        attributes.put("saml_idp_initiated_sso_url_name", client.idpInitiatedName());
        attributes.put("saml.client.signature", Boolean.toString(client.signRequests()));
        if (client.signRequests()) {
            attributes.put("saml.signing.certificate", client.spCertificateBase64());
        }
        attributes.put("saml.encrypt", Boolean.toString(client.encryptAssertions()));
        if (client.encryptAssertions()) {
            attributes.put("saml.encryption.certificate", client.spCertificateBase64());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("clientId", client.entityId());
        body.put("protocol", "saml");
        body.put("enabled", true);
        body.put("frontchannelLogout", false);
        body.put("redirectUris", List.of(client.acsUrl()));
        body.put("attributes", attributes);
        body.put("protocolMappers", List.of(attribute("email", "email"), attribute("firstName", "firstName"),
                attribute("lastName", "lastName")));
        keycloak.admin("POST", "/admin/realms/" + realm + "/clients", body);
    }

    private static Map<String, Object> attribute(String property, String name) {
        return Map.of("name", name, "protocol", "saml", "protocolMapper", "saml-user-property-mapper",
                "config", Map.of("user.attribute", property, "attribute.name", name, "attribute.nameformat", "Basic",
                        "friendly.name", name));
    }
}
