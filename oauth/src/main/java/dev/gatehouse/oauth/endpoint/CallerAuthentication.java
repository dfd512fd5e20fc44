package dev.gatehouse.oauth.endpoint;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import dev.gatehouse.core.credential.EnvironmentClientService;
import dev.gatehouse.core.wire.WireRequest;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.Optional;

/**
 * Client authentication for introspection and revocation ({@code client_secret_basic} or {@code client_secret_post}
 * against the environment's client secrets), with the POST and size checks those endpoints share.
 */
final class CallerAuthentication {
    static final int MAX_BODY_CHARS = 16 * 1024;

    private CallerAuthentication() {}

    sealed interface Result {
        record Authenticated(String environmentId, String clientId, HTTPRequest http) implements Result {
            /** A form parameter of the request body, empty when absent or blank. */
            String parameter(String name) {
                return com.nimbusds.oauth2.sdk.util.URLUtils.parseParameters(http.getBody())
                        .getOrDefault(name, java.util.List.of()).stream().findFirst().orElse("");
            }
        }

        record Refused(Optional<String> environmentId, Optional<String> clientId, OAuthError error, String reason)
                implements Result {}
    }

    static Result authenticate(WireRequest request, EnvironmentClientService clients) {
        if (!"POST".equals(request.method())) {
            return new Result.Refused(Optional.empty(), Optional.empty(),
                    OAuthError.of(OAuth2Error.INVALID_REQUEST, "POST is required"), "method not POST");
        }
        if (request.body().length() > MAX_BODY_CHARS) {
            return new Result.Refused(Optional.empty(), Optional.empty(),
                    OAuthError.of(OAuth2Error.INVALID_REQUEST, "Request body too large"), "body too large");
        }
        HTTPRequest http = toNimbus(request);
        ClientAuthentication authentication;
        try {
            authentication = ClientAuthentication.parse(http);
        } catch (ParseException e) {
            return new Result.Refused(Optional.empty(), Optional.empty(), OAuthError.invalidClient(
                    request.header("authorization").isPresent()), "malformed client authentication");
        }
        boolean triedBasic = authentication != null
                && ClientAuthenticationMethod.CLIENT_SECRET_BASIC.equals(authentication.getMethod());
        String secret = switch (authentication) {
            case ClientSecretBasic basic -> basic.getClientSecret().getValue();
            case ClientSecretPost post -> post.getClientSecret().getValue();
            case null -> null;
            default -> null;
        };
        if (secret == null) {
            return new Result.Refused(Optional.empty(), Optional.empty(), OAuthError.invalidClient(triedBasic),
                    "no supported client authentication");
        }
        String clientId = authentication.getClientID().getValue();
        var outcome = clients.authenticate(clientId, secret);
        if (outcome instanceof dev.gatehouse.core.credential.ClientAuthentication.Rejected rejected) {
            return new Result.Refused(rejected.environmentId(), Optional.of(clientId), OAuthError.invalidClient(triedBasic),
                    rejected.reason());
        }
        String environmentId = ((dev.gatehouse.core.credential.ClientAuthentication.Authenticated) outcome)
                .client().environmentId();
        return new Result.Authenticated(environmentId, clientId, http);
    }

    static HTTPRequest toNimbus(WireRequest request) {
        try {
            HTTPRequest http = new HTTPRequest(HTTPRequest.Method.POST, URI.create(request.url()).toURL());
            request.header("content-type").ifPresent(value -> http.setHeader("Content-Type", value));
            request.header("authorization").ifPresent(value -> http.setHeader("Authorization", value));
            http.setBody(request.body());
            return http;
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("request URL is not a URL: " + request.url(), e);
        }
    }
}
