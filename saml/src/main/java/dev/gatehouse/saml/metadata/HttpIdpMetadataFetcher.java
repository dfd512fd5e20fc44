package dev.gatehouse.saml.metadata;

import dev.gatehouse.core.connection.IdpMetadataException;
import dev.gatehouse.core.connection.IdpMetadataFetcher;
import dev.gatehouse.core.webhook.DestinationPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * Fetches IdP metadata URLs with the JDK HTTP client. Before every request, including each redirect hop, the
 * {@link DestinationPolicy} (the webhooks' SSRF guard) must allow the URL: https to public addresses only, unless
 * the dev setting {@code GATEHOUSE_SSO_ALLOW_PRIVATE_METADATA} allows private addresses (and plain http to
 * loopback). At most {@link #MAX_REDIRECTS} redirects, {@link #TIMEOUT} per request, and
 * {@link DomIdpMetadataParser#MAX_BYTES} of body. As for webhooks (D-W5), the check and the connection resolve
 * the host separately.
 */
public final class HttpIdpMetadataFetcher implements IdpMetadataFetcher {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    public static final int MAX_REDIRECTS = 3;

    private final DestinationPolicy destinations;
    private final HttpClient client;

    public HttpIdpMetadataFetcher(DestinationPolicy destinations) {
        this.destinations = destinations;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(TIMEOUT)
                .build();
    }

    @Override
    public byte[] fetch(String url) {
        String current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Optional<String> refusal = destinations.refusal(current);
            if (refusal.isPresent()) {
                throw new IdpMetadataException("the metadata URL is not allowed: " + refusal.get());
            }
            HttpResponse<InputStream> response = send(current);
            int status = response.statusCode();
            try (InputStream body = response.body()) {
                if (status >= 300 && status < 400) {
                    Optional<String> location = response.headers().firstValue("location");
                    if (location.isEmpty()) {
                        throw new IdpMetadataException("the metadata URL answered HTTP " + status + " without a Location");
                    }
                    current = URI.create(current).resolve(location.get().strip()).toString();
                    continue;
                }
                if (status != 200) {
                    throw new IdpMetadataException("the metadata URL answered HTTP " + status);
                }
                byte[] document = body.readNBytes(DomIdpMetadataParser.MAX_BYTES + 1);
                if (document.length > DomIdpMetadataParser.MAX_BYTES) {
                    throw new IdpMetadataException("the metadata is larger than 1 MiB");
                }
                return document;
            } catch (IOException e) {
                throw new IdpMetadataException("the metadata could not be read: " + e.getClass().getSimpleName());
            } catch (IllegalArgumentException e) {
                throw new IdpMetadataException("the metadata URL redirected to an invalid URL");
            }
        }
        throw new IdpMetadataException("the metadata URL redirected more than " + MAX_REDIRECTS + " times");
    }

    private HttpResponse<InputStream> send(String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(TIMEOUT)
                .header("Accept", "application/samlmetadata+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1")
                .header("User-Agent", "Gatehouse-SAML-metadata")
                .GET()
                .build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new IdpMetadataException("the metadata URL did not answer within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new IdpMetadataException("the metadata URL could not be reached: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdpMetadataException("the metadata fetch was interrupted");
        }
    }
}
