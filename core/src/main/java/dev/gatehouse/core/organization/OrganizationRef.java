package dev.gatehouse.core.organization;

/** How a caller names an organization: by its ID or by the app's external ID. */
public sealed interface OrganizationRef {
    record ById(String id) implements OrganizationRef {}

    record ByExternalId(String externalId) implements OrganizationRef {}
}
