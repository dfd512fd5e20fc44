package dev.gatehouse.oauth.endpoint;

import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.wire.WireResponse;
import dev.gatehouse.oauth.authorize.AuthorizeEndpoint;
import java.util.List;
import java.util.Map;
import net.minidev.json.JSONObject;

/**
 * {@code /.well-known/openid-configuration} and {@code /.well-known/oauth-authorization-server}: exactly what is
 * implemented, nothing more.
 */
public final class DiscoveryEndpoint {
    public WireResponse openidConfiguration(Environment environment) {
        return respond(document(environment, true));
    }

    public WireResponse authorizationServerMetadata(Environment environment) {
        return respond(document(environment, false));
    }

    private static JSONObject document(Environment environment, boolean openid) {
        String issuer = environment.issuerUrl();
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        JSONObject json = new JSONObject();
        json.put("issuer", issuer);
        json.put("authorization_endpoint", base + "/oauth/authorize");
        json.put("token_endpoint", base + "/oauth/token");
        json.put("jwks_uri", base + "/keys");
        json.put("userinfo_endpoint", base + "/userinfo");
        json.put("revocation_endpoint", base + "/oauth/revoke");
        json.put("introspection_endpoint", base + "/oauth/introspect");
        json.put("end_session_endpoint", base + "/oidc/logout");
        json.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
        json.put("response_types_supported", List.of("code"));
        json.put("response_modes_supported", List.of("query"));
        json.put("grant_types_supported", List.of("authorization_code", "refresh_token", "client_credentials"));
        json.put("code_challenge_methods_supported", List.of("S256"));
        json.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
        json.put("revocation_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        json.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        json.put("prompt_values_supported", List.copyOf(new java.util.TreeSet<>(AuthorizeEndpoint.SUPPORTED_PROMPTS)));
        json.put("authorization_response_iss_parameter_supported", true);
        if (openid) {
            json.put("subject_types_supported", List.of("public"));
            json.put("id_token_signing_alg_values_supported", List.of("RS256"));
            json.put("claims_supported", List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash",
                    "amr", "azp", "sid", "oid", "roles", "email", "email_verified", "name", "given_name", "family_name",
                    "preferred_username", "picture", "locale", "gender", "updated_at"));
            json.put("claims_parameter_supported", false);
            json.put("request_parameter_supported", false);
            json.put("request_uri_parameter_supported", false);
            json.put("frontchannel_logout_supported", false);
            json.put("backchannel_logout_supported", false);
        }
        return json;
    }

    private static WireResponse respond(JSONObject json) {
        return new WireResponse(200, Map.of("cache-control", "public, max-age=300",
                "access-control-allow-origin", "*"), "application/json;charset=utf-8", json.toJSONString());
    }
}
