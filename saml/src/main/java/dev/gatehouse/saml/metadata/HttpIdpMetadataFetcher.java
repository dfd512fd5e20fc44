package dev.gatehouse.saml.metadata;

import dev.gatehouse.core.connection.IdpMetadataException;
import dev.gatehouse.core.connection.IdpMetadataFetcher;
import dev.gatehouse.core.webhook.DestinationPolicy;
import dev.gatehouse.core.webhook.PinnedHttp;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Fetches IdP metadata URLs through {@link PinnedHttp}. Before every request, including each redirect hop, the
 * {@link DestinationPolicy} (the webhooks' SSRF guard) must allow the URL: https to public addresses only, unless
 * the dev setting {@code GATEHOUSE_SSO_ALLOW_PRIVATE_METADATA} allows private addresses (and plain http to
 * loopback); the request then goes to an address that check accepted, so a name that rebinds to another address
 * after the check does not reach it (D-W7). At most {@link #MAX_REDIRECTS} redirects, {@link #TIMEOUT} per request,
 * and {@link DomIdpMetadataParser#MAX_BYTES} of body.
 */
public final class HttpIdpMetadataFetcher implements IdpMetadataFetcher {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    public static final int MAX_REDIRECTS = 3;
    private static final Map<String, String> HEADERS = Map.of(
            "Accept", "application/samlmetadata+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1",
            "User-Agent", "Gatehouse-SAML-metadata");

    private final PinnedHttp http;

    public HttpIdpMetadataFetcher(DestinationPolicy destinations) {
        this(new PinnedHttp(destinations, TIMEOUT));
    }

    public HttpIdpMetadataFetcher(PinnedHttp http) {
        this.http = http;
    }

    @Override
    public byte[] fetch(String url) {
        String current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            PinnedHttp.Response response = send(current);
            int status = response.status();
            if (status >= 300 && status < 400) {
                Optional<String> location = response.header("location");
                if (location.isEmpty()) {
                    throw new IdpMetadataException("the metadata URL answered HTTP " + status + " without a Location");
                }
                try {
                    current = URI.create(current).resolve(location.get().strip()).toString();
                } catch (IllegalArgumentException e) {
                    throw new IdpMetadataException("the metadata URL redirected to an invalid URL");
                }
                continue;
            }
            if (status != 200) {
                throw new IdpMetadataException("the metadata URL answered HTTP " + status);
            }
            if (response.truncated()) {
                throw new IdpMetadataException("the metadata is larger than 1 MiB");
            }
            return response.body();
        }
        throw new IdpMetadataException("the metadata URL redirected more than " + MAX_REDIRECTS + " times");
    }

    private PinnedHttp.Response send(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IdpMetadataException("the metadata URL is not allowed: url is not a valid URI");
        }
        try {
            return http.send(PinnedHttp.Request.get(uri, HEADERS), TIMEOUT, DomIdpMetadataParser.MAX_BYTES);
        } catch (PinnedHttp.RefusedDestinationException e) {
            throw new IdpMetadataException("the metadata URL is not allowed: " + e.getMessage());
        } catch (SocketTimeoutException e) {
            throw new IdpMetadataException("the metadata URL did not answer within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new IdpMetadataException("the metadata URL could not be reached: " + e.getClass().getSimpleName());
        }
    }
}
