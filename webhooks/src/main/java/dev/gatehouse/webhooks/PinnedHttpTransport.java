package dev.gatehouse.webhooks;

import dev.gatehouse.core.webhook.PinnedHttp;
import dev.gatehouse.core.webhook.ResolvedDestination;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link Transport} over {@link PinnedHttp}: the POST goes to an address the destination check accepted (no second
 * DNS lookup, so no DNS rebinding past the SSRF guard), no redirects (a redirect could lead past the guard), one
 * timeout for the whole exchange, and only the first {@link #EXCERPT_BYTES} of the answer read.
 */
public final class PinnedHttpTransport implements Transport {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int EXCERPT_BYTES = 1024;

    private final PinnedHttp http;
    private final Duration timeout;

    public PinnedHttpTransport(PinnedHttp http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    @Override
    public Response post(ResolvedDestination destination, Map<String, String> headers, byte[] body) throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("content-type", "application/json");
        all.put("user-agent", "Gatehouse-Webhooks/1");
        all.putAll(headers);
        PinnedHttp.Response response = http.send(destination,
                new PinnedHttp.Request("POST", destination.uri(), all, body), timeout, EXCERPT_BYTES);
        return new Response(response.status(), response.body());
    }
}
