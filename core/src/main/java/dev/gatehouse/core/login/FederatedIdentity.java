package dev.gatehouse.core.login;

import java.util.Map;
import java.util.Optional;

/**
 * A person as an identity provider vouched for them, after the protocol module verified the response and mapped
 * its attributes (spec-sso §2.3's normalized profile). {@code connectionId} is the enterprise connection
 * ({@code conn_…}) or, for social logins, the provider's name; {@code organizationId} is present for enterprise
 * connections, whose users join that organization. {@code subject} is the IdP's own ID of the user (NameID, sub).
 * {@code customAttributes} are the connection's custom attribute mappings (spec-sso §2.5: a mapping key that is no
 * profile field, such as {@code employee_number}) with the values the IdP sent, keyed by the mapping's key.
 */
public record FederatedIdentity(
        String connectionId,
        Optional<String> organizationId,
        String connectionType,
        String providerName,
        boolean social,
        String subject,
        String email,
        boolean emailVerified,
        Optional<String> givenName,
        Optional<String> familyName,
        Optional<String> name,
        Optional<String> locale,
        Optional<String> picture,
        Map<String, String> rawAttributes,
        Map<String, String> customAttributes) {

    public FederatedIdentity {
        rawAttributes = Map.copyOf(rawAttributes);
        customAttributes = Map.copyOf(customAttributes);
    }
}
