package dev.gatehouse.oauth.federation;

import com.nimbusds.jwt.JWT;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.login.FederatedIdentity;
import dev.gatehouse.core.login.LoginOutcome;
import dev.gatehouse.core.login.LoginService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /sso/v1/oidc/{conn_id}/callback}: the IdP's answer to {@link OidcConnectionStarter}'s request. The
 * {@code state} names the login transaction (LoginService checks it belongs to this browser and this connection);
 * then code → tokens → validated ID token (nonce derived from the login) → userinfo → mapped identity. Every
 * refusal goes through {@link LoginService#failFederated}: an audit record, and the seed's code at the app.
 */
public final class OidcConnectionCallback {
    static final int MAX_PARAMETER = 4096;
    private final OidcConnectionClients clients;
    private final OidcCodeFlow flow;
    private final FederationSecrets secrets;
    private final LoginService logins;

    public OidcConnectionCallback(OidcConnectionClients clients, OidcCodeFlow flow, FederationSecrets secrets,
                                  LoginService logins) {
        this.clients = clients;
        this.flow = flow;
        this.secrets = secrets;
        this.logins = logins;
    }

    public LoginOutcome handle(Environment environment, String connectionId, Map<String, String> parameters,
                               LoginService.Browser browser) {
        String issuer = environment.issuerUrl();
        String loginId = bounded(parameters.get("state"));
        try {
            FederatedIdentity identity = verify(environment, connectionId, loginId, parameters);
            return logins.completeFederated(environment.id(), issuer, loginId, browser, identity);
        } catch (FederationFailure failure) {
            return logins.failFederated(environment.id(), issuer, loginId, browser, failure.errorCode(),
                    failure.description(), failure.reason());
        }
    }

    private FederatedIdentity verify(Environment environment, String connectionId, String loginId,
                                     Map<String, String> parameters) throws FederationFailure {
        if (loginId.isEmpty()) {
            throw new FederationFailure("invalid_request", "The sign-in response is incomplete", "callback without state");
        }
        String error = bounded(parameters.get("error"));
        if (!error.isEmpty()) {
            throw new FederationFailure("access_denied", "The identity provider did not sign the user in",
                    "IdP answered error=" + error.substring(0, Math.min(64, error.length())));
        }
        String code = bounded(parameters.get("code"));
        if (code.isEmpty()) {
            throw new FederationFailure("failed_to_exchange_token", "The sign-in response is incomplete",
                    "callback without code");
        }
        OidcConnectionClients.ConnectionClient found = clients.forConnection(environment, connectionId);
        OidcClient client = found.client();
        Optional<String> verifier = client.pkce()
                ? Optional.of(secrets.codeVerifier(environment.id(), connectionId, loginId)) : Optional.empty();
        OidcCodeFlow.Tokens tokens = flow.exchange(client, code, verifier);
        JWT idToken = tokens.idToken().orElseThrow(() -> new FederationFailure("invalid_id_token",
                "The identity provider's ID token is invalid", "token response without id_token"));
        Map<String, Object> claims = new LinkedHashMap<>(flow.validateIdToken(client, idToken,
                secrets.nonce(environment.id(), connectionId, loginId)));
        if (client.endpoints().userInfoEndpoint().isPresent()) {
            Map<String, Object> userInfo = flow.userInfo(client.endpoints().userInfoEndpoint().get(), tokens.accessToken());
            if (!String.valueOf(userInfo.get("sub")).equals(String.valueOf(claims.get("sub")))) {
                throw new FederationFailure("user_info_retrieve_failed",
                        "The user's details could not be read from the identity provider",
                        "userinfo sub differs from the ID token's sub");
            }
            userInfo.forEach((name, value) -> {
                if (!OidcCodeFlow.PROTECTED_CLAIMS.contains(name)) {
                    claims.put(name, value);
                }
            });
        }
        var connection = found.connection();
        return ClaimsProfile.identity(new ClaimsProfile.Source(connection.id(), Optional.of(connection.organizationId()),
                "OIDC", connection.provider().name(), false), connection.attributeMapping(), claims);
    }

    static String bounded(String value) {
        return value == null || value.length() > MAX_PARAMETER ? "" : value;
    }
}
