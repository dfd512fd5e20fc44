package dev.gatehouse.http.portal;

import dev.gatehouse.http.pages.PageChrome;
import java.util.Optional;

/**
 * What every admin portal page shows around its content: the environment's branding, the organization, the
 * sections of the link's features, the forms' CSRF token, the session's end, and the data of the browser events
 * ({@code origins} and {@code events} as JSON). Every string is escaped by the templates.
 *
 * @param base the portal's path, {@code /portal/<link id>}
 */
public record PortalFrame(PageChrome chrome, String base, String organizationName, String organizationId, boolean sso,
                          boolean dirSync, String csrf, String expiry, String origins, String events,
                          Optional<String> notice, Optional<String> error) {
    public String script() {
        return PortalScript.TEXT;
    }
}
