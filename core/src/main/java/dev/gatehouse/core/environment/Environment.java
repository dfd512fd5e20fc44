package dev.gatehouse.core.environment;

import java.time.Instant;

/** The root of all data: organizations, clients and keys all live in exactly one environment. */
public record Environment(String id, String name, String issuerUrl, Instant createTime, EnvironmentType type) {
    public Environment {
        if (type == null) {
            type = EnvironmentType.DEVELOPMENT;
        }
    }

    /** A development environment (the default type). */
    public Environment(String id, String name, String issuerUrl, Instant createTime) {
        this(id, name, issuerUrl, createTime, EnvironmentType.DEVELOPMENT);
    }
}
