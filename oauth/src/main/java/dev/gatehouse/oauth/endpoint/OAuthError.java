package dev.gatehouse.oauth.endpoint;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import dev.gatehouse.core.wire.WireResponse;
import java.util.Map;
import net.minidev.json.JSONObject;

/**
 * An RFC 6749 §5.2 error answer of the token endpoint: {@code error}, {@code error_description}
 * and the status that goes with the code. The description is for the client developer and never
 * says which part of a credential was wrong.
 */
public record OAuthError(ErrorObject error, Map<String, String> headers) {

    public static OAuthError of(ErrorObject base, String description) {
        return new OAuthError(base.setDescription(description).setHTTPStatusCode(statusOf(base)), Map.of());
    }

    /** invalid_client; with a Basic challenge when the client tried Basic authentication (RFC 6749 §5.2). */
    public static OAuthError invalidClient(boolean triedBasic) {
        ErrorObject error = OAuth2Error.INVALID_CLIENT.setDescription("Client authentication failed").setHTTPStatusCode(401);
        return new OAuthError(error, triedBasic ? Map.of("www-authenticate", "Basic realm=\"gatehouse\"") : Map.of());
    }

    /** 429 with {@code Retry-After}: too many failed requests from this address or for this client. */
    public static OAuthError throttled(java.time.Duration retryAfter) {
        long seconds = Math.max(1, retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0));
        ErrorObject error = OAuth2Error.TEMPORARILY_UNAVAILABLE
                .setDescription("Too many failed requests; retry after " + seconds + " s").setHTTPStatusCode(429);
        return new OAuthError(error, Map.of("retry-after", Long.toString(seconds)));
    }

    public WireResponse toResponse() {
        JSONObject json = new JSONObject();
        json.put("error", error.getCode());
        if (error.getDescription() != null) {
            json.put("error_description", error.getDescription());
        }
        return WireResponse.noStoreJson(error.getHTTPStatusCode(), json.toJSONString(), headers);
    }

    private static int statusOf(ErrorObject base) {
        return OAuth2Error.INVALID_CLIENT.getCode().equals(base.getCode()) ? 401 : 400;
    }
}
