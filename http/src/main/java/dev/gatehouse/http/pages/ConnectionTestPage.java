package dev.gatehouse.http.pages;

import dev.gatehouse.core.login.FederatedIdentity;
import dev.gatehouse.core.login.LoginOutcome;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The result of an admin portal's connection test (docs/DECISIONS.md D-AP4): what the identity provider sent, or
 * why the sign-in failed, and the portal page to go back to. Every string is escaped by the template.
 */
public record ConnectionTestPage(boolean succeeded, String connectionId, String email, String subject,
                                 String givenName, String familyName, Map<String, String> attributes,
                                 String errorCode, String errorDescription, String reason, String backUrl) {
    public ConnectionTestPage {
        attributes = Map.copyOf(attributes);
    }

    public static ConnectionTestPage of(LoginOutcome.ConnectionTested tested) {
        Optional<FederatedIdentity> identity = tested.identity();
        return new ConnectionTestPage(tested.succeeded(), tested.connectionId(),
                identity.map(FederatedIdentity::email).orElse(""), identity.map(FederatedIdentity::subject).orElse(""),
                identity.flatMap(FederatedIdentity::givenName).orElse(""),
                identity.flatMap(FederatedIdentity::familyName).orElse(""),
                new TreeMap<>(identity.map(FederatedIdentity::rawAttributes).orElse(Map.of())),
                tested.errorCode().orElse(""), tested.errorDescription().orElse(""), tested.reason().orElse(""),
                tested.transaction().request().redirectUri());
    }

    /** The attributes in name order, for the template. */
    public java.util.List<Map.Entry<String, String>> sortedAttributes() {
        return new TreeMap<>(attributes).entrySet().stream().toList();
    }
}
