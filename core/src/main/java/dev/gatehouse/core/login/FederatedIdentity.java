package dev.gatehouse.core.login;

import java.util.Map;
import java.util.Optional;

/**
 * A person as an identity provider vouched for them, after the protocol module verified the response and mapped
 * its attributes (spec-sso §2.3's normalized profile). {@code connectionId} is the enterprise connection
 * ({@code conn_…}) or, for social logins, the provider's name; {@code organizationId} is present for enterprise
 * connections, whose users join that organization. {@code subject} is the IdP's own ID of the user (NameID, sub).
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
        Map<String, String> rawAttributes) {

    public FederatedIdentity {
        rawAttributes = Map.copyOf(rawAttributes);
    }
}
