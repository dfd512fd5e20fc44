package dev.gatehouse.oauth.federation;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import dev.gatehouse.core.webhook.DestinationPolicy;
import dev.gatehouse.core.webhook.PinnedHttp;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every outgoing call to an identity provider (discovery, JWKS, token, userinfo, social profile APIs) goes through
 * {@link PinnedHttp}: the URL must pass the {@link DestinationPolicy} (no private or loopback addresses unless the
 * dev setting allows them) and the request goes to an address that check accepted, never to a second DNS answer
 * (DNS rebinding, D-W7); 5 s to connect, 10 s for the exchange, at most 1 MiB of answer, no redirects.
 */
public final class ProviderHttp {
    static final String DISCOVERY_FAILED = "connection_not_active";
    static final String DISCOVERY_DESCRIPTION = "The identity provider's configuration could not be read";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int MAX_ANSWER_BYTES = 1024 * 1024;

    private final PinnedHttp http;

    public ProviderHttp(DestinationPolicy destinations) {
        this(new PinnedHttp(destinations, CONNECT_TIMEOUT));
    }

    public ProviderHttp(PinnedHttp http) {
        this.http = http;
    }

    /** Whether Gatehouse may call {@code url}; the refusal is safe to audit. */
    public Optional<String> refusal(String url) {
        return http.policy().refusal(url);
    }

    /**
     * Sends {@code request}; a refused URL or a network failure becomes a {@link FederationFailure} with the code
     * of the {@code step} ({@code discovery}, {@code token}, {@code userinfo}).
     */
    public HTTPResponse send(HTTPRequest request, String step) throws FederationFailure {
        String url = request.getURI().toString();
        try {
            return request.send(this::sendPinned);
        } catch (PinnedHttp.RefusedDestinationException e) {
            throw failure(step, step + " URL refused: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw failure(step, step + " request to " + url + " failed: " + e.getClass().getSimpleName());
        }
    }

    /** A GET of at most {@code maxBytes} (the JWKS); a refused URL is a {@link PinnedHttp.RefusedDestinationException}. */
    public PinnedHttp.Response get(URI uri, Map<String, String> headers, int maxBytes) throws IOException {
        return http.send(PinnedHttp.Request.get(uri, headers), TIMEOUT, maxBytes);
    }

    private HTTPResponse sendPinned(ReadOnlyHTTPRequest request) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        request.getHeaderMap().forEach((name, values) -> headers.put(name, String.join(", ", values)));
        byte[] body = request.getBody() == null ? new byte[0] : request.getBody().getBytes(StandardCharsets.UTF_8);
        PinnedHttp.Response response = http.send(
                new PinnedHttp.Request(request.getMethod().name(), request.getURI(), headers, body), TIMEOUT, MAX_ANSWER_BYTES);
        if (response.truncated()) {
            throw new IOException("the answer is larger than " + MAX_ANSWER_BYTES + " bytes");
        }
        HTTPResponse answer = new HTTPResponse(response.status());
        response.headers().forEach((name, values) -> answer.setHeader(canonical(name), values.toArray(String[]::new)));
        answer.setBody(response.bodyText());
        return answer;
    }

    /** {@code content-type} → {@code Content-Type}, the spelling Nimbus looks headers up by. */
    private static String canonical(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
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
