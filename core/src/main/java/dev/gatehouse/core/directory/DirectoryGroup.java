package dev.gatehouse.core.directory;

import java.time.Instant;
import java.util.Optional;

/** A group as a directory provisioned it; members live in their own table (see {@link DirectoryResourceRepository}). */
public record DirectoryGroup(
        String id,
        String environmentId,
        String directoryId,
        String displayName,
        Optional<String> externalId,
        String resourceJson,
        Instant createTime,
        Instant updateTime) {}
