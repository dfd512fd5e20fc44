package dev.gatehouse.core.event;

import java.util.List;
import java.util.Set;

/** Every event type Gatehouse emits (docs/EVENTS.md lists them with their payloads). */
public final class EventTypes {
    public static final String ORGANIZATION_CREATED = "organization.created";
    public static final String ORGANIZATION_UPDATED = "organization.updated";
    public static final String ORGANIZATION_DELETED = "organization.deleted";
    public static final String WEBHOOK_ENDPOINT_DISABLED = "webhook.endpoint.disabled";
    public static final String ORGANIZATION_SSO_CREATED = "organization.sso_created";
    public static final String ORGANIZATION_SSO_UPDATED = "organization.sso_updated";
    public static final String ORGANIZATION_SSO_DELETED = "organization.sso_deleted";
    public static final String ORGANIZATION_SSO_ENABLED = "organization.sso_enabled";
    public static final String ORGANIZATION_SSO_DISABLED = "organization.sso_disabled";
    public static final String USER_CREATED = "user.created";
    public static final String USER_UPDATED = "user.updated";
    public static final String USER_DELETED = "user.deleted";
    public static final String MEMBERSHIP_CREATED = "membership.created";
    public static final String MEMBERSHIP_UPDATED = "membership.updated";
    public static final String MEMBERSHIP_DELETED = "membership.deleted";

    /** Known types, including those of the directory and SSO seeds that other modules produce. */
    public static final List<String> ALL = List.of(
            ORGANIZATION_CREATED, ORGANIZATION_UPDATED, ORGANIZATION_DELETED,
            WEBHOOK_ENDPOINT_DISABLED,
            "organization.directory_enabled", "organization.directory_disabled",
            "organization.directory.user_created", "organization.directory.user_updated",
            "organization.directory.user_deleted",
            "organization.directory.group_created", "organization.directory.group_updated",
            "organization.directory.group_deleted",
            "organization.sso_enabled", "organization.sso_disabled",
            "organization.sso_created", "organization.sso_deleted",
            ORGANIZATION_SSO_UPDATED,
            USER_CREATED, USER_UPDATED, USER_DELETED,
            MEMBERSHIP_CREATED, MEMBERSHIP_UPDATED, MEMBERSHIP_DELETED);

    private static final Set<String> KNOWN = Set.copyOf(ALL);

    private EventTypes() {}

    public static boolean isKnown(String type) {
        return KNOWN.contains(type);
    }
}
