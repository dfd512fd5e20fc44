package dev.gatehouse.core.directory;

import java.time.Instant;
import java.util.Map;

/**
 * A change that apps hear about (spec §6.2): {@code organization.directory.user_created} and friends.
 * {@code data} holds the payload's fields as plain JSON values (String, Boolean, Number, List, Map, null).
 */
public record DirectoryEvent(
        String type,
        String objectType,
        String environmentId,
        String organizationId,
        String directoryId,
        Instant occurredAt,
        Map<String, Object> data) {

    public static final String USER_CREATED = "organization.directory.user_created";
    public static final String USER_UPDATED = "organization.directory.user_updated";
    public static final String USER_DELETED = "organization.directory.user_deleted";
    public static final String GROUP_CREATED = "organization.directory.group_created";
    public static final String GROUP_UPDATED = "organization.directory.group_updated";
    public static final String GROUP_DELETED = "organization.directory.group_deleted";
    public static final String DIRECTORY_ENABLED = "organization.directory_enabled";
    public static final String DIRECTORY_DISABLED = "organization.directory_disabled";
}
