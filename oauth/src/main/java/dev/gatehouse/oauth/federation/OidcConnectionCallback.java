package dev.gatehouse.oauth.federation;

import com.nimbusds.jwt.JWT;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.login.FederatedIdentity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An OIDC connection's answer to {@link OidcConnectionStarter}'s request (served by {@link FederatedCallbacks}):
 * code → tokens → validated ID token (nonce derived from the login) → userinfo → mapped identity.
 */
public final class OidcConnectionCallback {
    private final OidcConnectionClients clients;
    private final OidcCodeFlow flow;
    private final FederationSecrets secrets;

    public OidcConnectionCallback(OidcConnectionClients clients, OidcCodeFlow flow, FederationSecrets secrets) {
        this.clients = clients;
        this.flow = flow;
        this.secrets = secrets;
    }

    FederatedIdentity verify(Environment environment, String connectionId, String loginId, String code,
                             boolean connectionTest) throws FederationFailure {
        OidcConnectionClients.ConnectionClient found = clients.forConnection(environment, connectionId, connectionTest);
        OidcClient client = found.client();
        Optional<String> verifier = client.pkce()
                ? Optional.of(secrets.codeVerifier(environment.id(), connectionId, loginId)) : Optional.empty();
        OidcCodeFlow.Tokens tokens = flow.exchange(client, code, verifier);
        JWT idToken = tokens.idToken().orElseThrow(() -> new FederationFailure("invalid_id_token",
                "The identity provider's ID token is invalid", "token response without id_token", "id_token"));
        Map<String, Object> claims = new LinkedHashMap<>(flow.validateIdToken(client, idToken,
                secrets.nonce(environment.id(), connectionId, loginId)));
        if (client.endpoints().userInfoEndpoint().isPresent()) {
            Map<String, Object> userInfo = flow.userInfo(client.endpoints().userInfoEndpoint().get(), tokens.accessToken());
            if (!String.valueOf(userInfo.get("sub")).equals(String.valueOf(claims.get("sub")))) {
                throw new FederationFailure("user_info_retrieve_failed",
                        "The user's details could not be read from the identity provider",
                        "userinfo sub differs from the ID token's sub", "userinfo");
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

}
