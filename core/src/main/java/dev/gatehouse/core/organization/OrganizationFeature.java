package dev.gatehouse.core.organization;

import java.util.Locale;
import java.util.Optional;

/** The per-organization feature toggles of {@code PATCH /api/v1/organizations/{id}/settings}. */
public enum OrganizationFeature {
    SSO("sso"),
    DIRECTORY_SYNC("dir_sync");

    private final String wireName;

    OrganizationFeature(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Accepts the proto enum names ({@code sso}, {@code dir_sync}) and the documented alias {@code directory_sync}. */
    public static Optional<OrganizationFeature> fromWire(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sso" -> Optional.of(SSO);
            case "dir_sync", "directory_sync" -> Optional.of(DIRECTORY_SYNC);
            default -> Optional.empty();
        };
    }
}
