package dev.gatehouse.http.pages;

import java.util.Optional;

/**
 * What every server-rendered page shows around its content: the title and the environment's branding.
 * Colours are CSS colour values already checked by whoever built this record (see {@link #of}).
 */
public record PageChrome(String title, String brandName, Optional<String> logoUrl, String primaryColor,
                         String backgroundColor) {
    public static final String DEFAULT_PRIMARY = "#3b5bdb";
    public static final String DEFAULT_BACKGROUND = "#f6f7f9";

    /** Plain Gatehouse chrome, for pages that are not branded (errors before an environment is known, dev pages). */
    public static PageChrome plain(String title) {
        return new PageChrome(title, "Gatehouse", Optional.empty(), DEFAULT_PRIMARY, DEFAULT_BACKGROUND);
    }

    /** Branded chrome; a colour that is not a #rgb or #rrggbb hex value falls back to the default. */
    public static PageChrome of(String title, String brandName, Optional<String> logoUrl, String primaryColor,
                                String backgroundColor) {
        return new PageChrome(title, brandName, logoUrl.filter(PageChrome::isHttpUrl),
                isHexColour(primaryColor) ? primaryColor : DEFAULT_PRIMARY,
                isHexColour(backgroundColor) ? backgroundColor : DEFAULT_BACKGROUND);
    }

    static boolean isHexColour(String value) {
        return value != null && value.matches("#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})");
    }

    static boolean isHttpUrl(String value) {
        return value.startsWith("https://") || value.startsWith("http://");
    }
}
