package dev.gatehouse.core.credential;

import java.time.Instant;

/** An environment's management client ({@code skc_…}): what the official SDK authenticates as. */
public record EnvironmentClient(String id, String environmentId, String name, Instant createTime) {}
