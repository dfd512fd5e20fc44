package dev.gatehouse.http.portal;

import java.util.List;
import java.util.Optional;

/**
 * One directory in the portal: the SCIM base URL and bearer tokens to give the IdP, what was synced, and the
 * forms. {@code newToken} is present only on the answer that generated it: it is never shown again.
 */
public record PortalDirectoryPage(PortalFrame frame, String id, String provider, boolean enabled, String scimUrl,
                                  int users, int groups, List<TokenRow> tokens, Optional<String> newToken) {
    public PortalDirectoryPage {
        tokens = List.copyOf(tokens);
    }

    /** The action of the enable/disable form. */
    public String toggleAction() {
        return enabled ? "disable" : "enable";
    }

    /** A bearer token as stored: its last characters and times, never the token. */
    public record TokenRow(String id, String suffix, String created, String expires, boolean valid) {}
}
