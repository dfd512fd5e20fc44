package dev.gatehouse.core.user;

import java.time.Instant;

/** An environment role. {@code name} is the key carried in tokens; one role per environment is the default for new members. */
public record Role(String id, String environmentId, String name, String displayName, boolean defaultMember, Instant createTime) {}
