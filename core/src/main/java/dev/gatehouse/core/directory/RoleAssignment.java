package dev.gatehouse.core.directory;

/**
 * A directory group mapped to a role of the app. The first mapping of a directory is the default role,
 * given to synced users who are in no mapped group (spec §5.6).
 */
public record RoleAssignment(String groupId, String roleName) {}
