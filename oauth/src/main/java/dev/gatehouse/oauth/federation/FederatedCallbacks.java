package dev.gatehouse.oauth.federation;

import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.login.FederatedIdentity;
import dev.gatehouse.core.login.LoginOutcome;
import dev.gatehouse.core.login.LoginService;
import java.util.Map;

/**
 * The redirect endpoints of OAuth-based federation: an OIDC connection's ({@code /sso/v1/oidc/{conn_id}/callback})
 * and a social provider's ({@code /sso/v1/social/{provider}/callback}). Both first check that {@code state} is this
 * browser's login waiting for that connection or provider (refused and audited before the one-use code is spent),
 * then the provider's {@code error}, then the code. Every refusal goes through {@link LoginService#failFederated}:
 * an audit record for the admin, and the seed's code at the app's redirect URI.
 */
public final class FederatedCallbacks {
    static final int MAX_PARAMETER = 4096;
    private final OidcConnectionCallback oidc;
    private final SocialLogins social;
    private final LoginService logins;

    public FederatedCallbacks(OidcConnectionCallback oidc, SocialLogins social, LoginService logins) {
        this.oidc = oidc;
        this.social = social;
        this.logins = logins;
    }

    @FunctionalInterface
    private interface Verifier {
        FederatedIdentity verify(String loginId, String code, boolean connectionTest) throws FederationFailure;
    }

    public LoginOutcome oidcConnection(Environment environment, String connectionId, Map<String, String> parameters,
                                       LoginService.Browser browser) {
        return handle(environment, connectionId, parameters, browser,
                (loginId, code, connectionTest) -> oidc.verify(environment, connectionId, loginId, code, connectionTest));
    }

    public LoginOutcome socialProvider(Environment environment, String provider, Map<String, String> parameters,
                                       LoginService.Browser browser) {
        return handle(environment, provider, parameters, browser,
                (loginId, code, connectionTest) -> social.verify(environment, provider, loginId, code));
    }

    private LoginOutcome handle(Environment environment, String connectionId, Map<String, String> parameters,
                                LoginService.Browser browser, Verifier verifier) {
        String issuer = environment.issuerUrl();
        String loginId = bounded(parameters.get("state"));
        var waiting = logins.awaitingIdentityProvider(environment.id(), loginId, browser)
                .filter(t -> t.connectionId().equals(java.util.Optional.of(connectionId)));
        if (waiting.isEmpty()) {
            // Unknown state, another browser, another connection: refused (and audited) before the code is used.
            return logins.failFederated(environment.id(), issuer, loginId, browser, "invalid_request",
                    "The sign-in response does not belong to a sign-in of this browser", "state does not match",
                    java.util.Map.of("step", "state"));
        }
        try {
            String error = bounded(parameters.get("error"));
            if (!error.isEmpty()) {
                throw new FederationFailure("access_denied", "The identity provider did not sign the user in",
                        "provider answered error=" + error.substring(0, Math.min(64, error.length())));
            }
            String code = bounded(parameters.get("code"));
            if (code.isEmpty()) {
                throw new FederationFailure("failed_to_exchange_token", "The sign-in response is incomplete",
                        "callback without code", "callback");
            }
            FederatedIdentity identity = verifier.verify(loginId, code, waiting.get().testsConnection());
            return logins.completeFederated(environment.id(), issuer, loginId, browser, identity);
        } catch (FederationFailure failure) {
            return logins.failFederated(environment.id(), issuer, loginId, browser, failure.errorCode(),
                    failure.description(), failure.reason(), java.util.Map.of("step", failure.step()));
        } catch (RuntimeException e) {
            // A provider setting or answer no check above foresaw: still a refusal for the app, never a 500.
            return logins.failFederated(environment.id(), issuer, loginId, browser, "server_error",
                    "The sign-in could not be completed", "unexpected " + e.getClass().getSimpleName(),
                    java.util.Map.of("step", "unexpected"));
        }
    }

    static String bounded(String value) {
        return value == null || value.length() > MAX_PARAMETER ? "" : value;
    }
}
