package dev.gatehouse.core.portal;

import java.util.Locale;
import java.util.Optional;

/** What an admin portal link lets its holder configure (the wire enum {@code Feature}: {@code sso}, {@code dir_sync}). */
public enum PortalFeature {
    SSO("sso"),
    DIR_SYNC("dir_sync");

    private final String wireName;

    PortalFeature(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** {@code sso}, {@code dir_sync}, and the settings API's alias {@code directory_sync}. */
    public static Optional<PortalFeature> fromWire(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "sso" -> Optional.of(SSO);
            case "dir_sync", "directory_sync" -> Optional.of(DIR_SYNC);
            default -> Optional.empty();
        };
    }
}
