package dev.gatehouse.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** {@link Transport} over java.net.http: no redirects (a redirect could lead past the SSRF guard), a timeout per request. */
public final class HttpClientTransport implements Transport {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int EXCERPT_BYTES = 1024;

    private final HttpClient client;
    private final Duration timeout;

    public HttpClientTransport(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public Response post(URI url, Map<String, String> headers, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("content-type", "application/json")
                .header("user-agent", "Gatehouse-Webhooks/1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            return new Response(response.statusCode(), in.readNBytes(EXCERPT_BYTES));
        }
    }
}
