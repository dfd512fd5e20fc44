package dev.gatehouse.core.user;

/** How a caller names a user: by ID or by the app's external ID. */
public sealed interface UserRef {
    record ById(String id) implements UserRef {}

    record ByExternalId(String externalId) implements UserRef {}
}
