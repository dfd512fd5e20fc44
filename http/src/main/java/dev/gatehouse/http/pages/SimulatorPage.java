package dev.gatehouse.http.pages;

import java.util.List;
import java.util.Optional;

/**
 * What the IdP simulator's page needs (docs/DECISIONS.md D-SIM3, D-SIM6); every string is escaped by the template.
 *
 * @param loginId the app's login waiting for the simulator; empty when the page was opened directly, where only the
 *                "IdP initiated SSO" scenario exists (there is no app request to answer)
 * @param email   pre-filled address: what the tester typed, else the login's {@code login_hint}
 * @param domains the addresses the simulator signs in (the organization's domains)
 * @param errors  the error codes the "Error" scenario can return
 */
public record SimulatorPage(String action, Optional<String> loginId, String csrf, String email, String givenName,
                            String familyName, String relayState, List<String> domains, List<String> errors,
                            Optional<String> error) {
    public SimulatorPage {
        domains = List.copyOf(domains);
        errors = List.copyOf(errors);
    }
}
