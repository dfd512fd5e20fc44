package dev.gatehouse.core.environment;

import java.time.Instant;

/** The root of all data: organizations, clients and keys all live in exactly one environment. */
public record Environment(String id, String name, String issuerUrl, Instant createTime) {}
