package dev.gatehouse.core.client;

/** The token endpoint's port for {@code m2morg_…} clients: checks a client ID and secret. */
public interface OrganizationClientCredentials {
    /** Whether the ID names an organization client at all (so the caller knows which check applies). */
    static boolean isOrganizationClientId(String clientId) {
        return dev.gatehouse.core.shared.IdPrefix.ORGANIZATION_CLIENT.matches(clientId);
    }

    OrganizationClientAuthentication authenticate(String clientId, String presentedSecret);
}
