package dev.gatehouse.http.pages;

import dev.gatehouse.core.login.LoginOutcome;
import java.util.List;
import java.util.Optional;

/** What the login template needs for one step; every string is escaped by the template. */
public record LoginPage(String step, String action, String csrf, String email, boolean signup, boolean sendsCode,
                        boolean sendsLink, List<LoginOutcome.OrganizationChoice> organizations, Optional<String> error) {
    public LoginPage {
        organizations = List.copyOf(organizations);
    }
}
