package dev.gatehouse.saml.sso;

import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.login.FederatedIdentity;
import java.util.Optional;

/** What the ACS makes of one POSTed SAMLResponse. Every refusal has been audited already. */
public sealed interface AcsResult {
    /** A verified answer to the AuthnRequest of login {@code loginId}: finish that login with {@code identity}. */
    record SignedIn(String loginId, FederatedIdentity identity) implements AcsResult {}

    /** A verified IdP-initiated response on a connection that allows it: never a code (R-SSO-68). */
    record IdpInitiated(Connection connection, FederatedIdentity identity, Optional<String> relayState)
            implements AcsResult {}

    /**
     * Refused: {@code errorCode} is the seed's code for the app; the login (when the RelayState named a waiting one)
     * fails with it. {@code reason} is for the admin only.
     */
    record Refused(Optional<String> loginId, String errorCode, String description, String reason) implements AcsResult {}

    /** No SAML connection with this ID in this environment. */
    record UnknownConnection() implements AcsResult {}
}
