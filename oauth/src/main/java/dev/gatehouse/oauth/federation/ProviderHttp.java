package dev.gatehouse.oauth.federation;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.gatehouse.core.webhook.DestinationPolicy;
import java.io.IOException;
import java.util.Optional;

/**
 * Every outgoing call to an identity provider: the URL must pass the {@link DestinationPolicy} (no private or
 * loopback addresses unless the dev setting allows them), 5 s to connect, 10 s to read, no redirects.
 */
public final class ProviderHttp {
    static final String DISCOVERY_FAILED = "connection_not_active";
    static final String DISCOVERY_DESCRIPTION = "The identity provider's configuration could not be read";
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 10_000;

    private final DestinationPolicy destinations;

    public ProviderHttp(DestinationPolicy destinations) {
        this.destinations = destinations;
    }

    /** Whether Gatehouse may call {@code url}; the refusal is safe to audit. */
    public Optional<String> refusal(String url) {
        return destinations.refusal(url);
    }

    /**
     * Sends {@code request}; a refused URL or a network failure becomes a {@link FederationFailure} with the code
     * of the {@code step} ({@code discovery}, {@code token}, {@code userinfo}).
     */
    public HTTPResponse send(HTTPRequest request, String step) throws FederationFailure {
        String url = request.getURI().toString();
        Optional<String> refused = destinations.refusal(url);
        if (refused.isPresent()) {
            throw failure(step, step + " URL refused: " + refused.get());
        }
        request.setConnectTimeout(CONNECT_TIMEOUT_MS);
        request.setReadTimeout(READ_TIMEOUT_MS);
        request.setFollowRedirects(false);
        try {
            return request.send();
        } catch (IOException | RuntimeException e) {
            throw failure(step, step + " request to " + url + " failed: " + e.getClass().getSimpleName());
        }
    }

    static FederationFailure failure(String step, String reason) {
        return switch (step) {
            case "token" -> new FederationFailure("failed_to_exchange_token",
                    "The identity provider refused the token exchange", reason, "token_exchange");
            case "userinfo" -> new FederationFailure("user_info_retrieve_failed",
                    "The user's details could not be read from the identity provider", reason, "userinfo");
            case "jwks" -> new FederationFailure("invalid_id_token", "The identity provider's ID token is invalid", reason,
                    "id_token_signature");
            default -> new FederationFailure(DISCOVERY_FAILED, DISCOVERY_DESCRIPTION, reason, step);
        };
    }
}
