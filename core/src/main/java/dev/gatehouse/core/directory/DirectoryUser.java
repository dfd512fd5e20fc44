package dev.gatehouse.core.directory;

import java.time.Instant;
import java.util.Optional;

/**
 * A user as a directory provisioned it. {@code resourceJson} is the stored SCIM representation
 * (core + enterprise extension, without {@code id}, {@code meta} and {@code groups}, which are computed);
 * the other fields are the columns derived from it for lookups and the Directories API.
 *
 * <p>{@code linkedUserId} is the seam for the sync into environment users (docs/DECISIONS.md D-S6):
 * empty until a {@link DirectoryUserLinker} links the directory user to an environment user by email.
 */
public record DirectoryUser(
        String id,
        String environmentId,
        String directoryId,
        String userName,
        Optional<String> externalId,
        boolean active,
        Optional<String> email,
        Optional<String> givenName,
        Optional<String> familyName,
        Optional<String> displayName,
        String resourceJson,
        Optional<String> linkedUserId,
        Instant createTime,
        Instant updateTime) {}
