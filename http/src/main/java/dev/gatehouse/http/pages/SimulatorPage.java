package dev.gatehouse.http.pages;

import java.util.List;
import java.util.Optional;

/**
 * What the IdP simulator's page needs (docs/DECISIONS.md D-SIM3); every string is escaped by the template.
 *
 * @param domains the addresses the simulator signs in (the organization's domains)
 * @param errors  the error codes the "Error" scenario can return
 */
public record SimulatorPage(String action, String loginId, String csrf, String email, String givenName,
                            String familyName, List<String> domains, List<String> errors, Optional<String> error) {
    public SimulatorPage {
        domains = List.copyOf(domains);
        errors = List.copyOf(errors);
    }
}
