package dev.gatehouse.oauth.endpoint;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenRequest;
import dev.gatehouse.core.client.CustomClaim;
import dev.gatehouse.core.client.OrganizationClient;
import dev.gatehouse.core.client.OrganizationClientAuthentication;
import dev.gatehouse.core.client.OrganizationClientCredentials;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.environment.EnvironmentDirectory;
import dev.gatehouse.core.wire.WireResponse;
import dev.gatehouse.oauth.token.AccessTokenIssuer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import net.minidev.json.JSONObject;

/**
 * {@code client_credentials} for organization M2M clients ({@code m2morg_…}): the token carries
 * {@code sub} = {@code client_id} = the client, {@code oid} = its organization, {@code scopes} (JSON array)
 * = the client's scopes, {@code aud} = its audience (when set), its custom claims, and lives the client's
 * expiry. A {@code scope} parameter in the request is ignored (D-C7).
 */
final class OrganizationClientGrant {
    private final OrganizationClientCredentials clients;
    private final EnvironmentDirectory environments;
    private final AccessTokenIssuer issuer;

    OrganizationClientGrant(OrganizationClientCredentials clients, EnvironmentDirectory environments, AccessTokenIssuer issuer) {
        this.clients = clients;
        this.environments = environments;
        this.issuer = issuer;
    }

    sealed interface Outcome {
        record Issued(WireResponse response) implements Outcome {}

        /** A refusal for the token endpoint to audit and answer. */
        record Refused(Optional<String> environmentId, OAuthError error, String reason) implements Outcome {}
    }

    Outcome handle(TokenRequest request, String clientId, String secret, boolean triedBasic) {
        OrganizationClientAuthentication outcome = clients.authenticate(clientId, secret);
        if (outcome instanceof OrganizationClientAuthentication.Rejected rejected) {
            return new Outcome.Refused(rejected.environmentId(), OAuthError.invalidClient(triedBasic), rejected.reason());
        }
        OrganizationClient client = ((OrganizationClientAuthentication.Authenticated) outcome).client();
        Optional<Environment> environment = environments.byId(client.environmentId());
        if (environment.isEmpty()) {
            return new Outcome.Refused(Optional.of(client.environmentId()), OAuthError.invalidClient(triedBasic),
                    "client's environment does not exist");
        }
        if (!(request.getAuthorizationGrant() instanceof ClientCredentialsGrant)) {
            return new Outcome.Refused(Optional.of(client.environmentId()),
                    OAuthError.of(OAuth2Error.UNAUTHORIZED_CLIENT,
                            "This client may not use the " + request.getAuthorizationGrant().getType() + " grant"),
                    "grant " + request.getAuthorizationGrant().getType() + " not allowed for organization client");
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        for (CustomClaim claim : client.customClaims()) {
            claims.put(claim.key(), claim.value());
        }
        claims.put("oid", client.organizationId());
        Duration lifetime = Duration.ofSeconds(client.expirySeconds());
        var token = issuer.issueClientToken(environment.get(), client.id(), client.scopes(), lifetime, client.audience(), claims);
        JSONObject json = new JSONObject();
        json.put("access_token", token.value());
        json.put("token_type", "Bearer");
        json.put("expires_in", lifetime.toSeconds());
        json.put("scope", String.join(" ", client.scopes()));
        return new Outcome.Issued(WireResponse.noStoreJson(200, json.toJSONString(), Map.of()));
    }
}
