package dev.gatehouse.core.client;

import dev.gatehouse.core.credential.ClientSecret;
import java.time.Instant;
import java.util.List;

/**
 * An organization's machine-to-machine client ({@code m2morg_…}): it gets {@code client_credentials}
 * tokens carrying {@code oid}, its scopes, audience and custom claims, living {@code expirySeconds}.
 */
public record OrganizationClient(String id, String environmentId, String organizationId, String name,
                                 String description, List<String> scopes, List<String> audience,
                                 List<CustomClaim> customClaims, long expirySeconds, Instant createTime,
                                 Instant updateTime, List<ClientSecret> secrets) {
    public OrganizationClient {
        scopes = List.copyOf(scopes);
        audience = List.copyOf(audience);
        customClaims = List.copyOf(customClaims);
        secrets = List.copyOf(secrets);
    }

    OrganizationClient withSecrets(List<ClientSecret> newSecrets) {
        return new OrganizationClient(id, environmentId, organizationId, name, description, scopes, audience,
                customClaims, expirySeconds, createTime, updateTime, newSecrets);
    }
}
