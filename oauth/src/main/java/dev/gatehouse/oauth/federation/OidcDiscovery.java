package dev.gatehouse.oauth.federation;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OpenID provider metadata by discovery URL, cached for {@link #TTL} (failures are not cached). The issuer of the
 * document must be the issuer the admin configured, when they configured one (OIDC Discovery §4.3).
 */
public final class OidcDiscovery {
    public static final Duration TTL = Duration.ofHours(1);
    private static final int MAX_ENTRIES = 10_000;

    private final ProviderHttp http;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(OidcEndpoints endpoints, Instant expires) {}

    public OidcDiscovery(ProviderHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    /** {@code issuerOrDiscoveryUrl}: an issuer URL, or the discovery document's own URL. */
    public OidcEndpoints discover(String issuerOrDiscoveryUrl) throws FederationFailure {
        String url = issuerOrDiscoveryUrl.contains("/.well-known/openid-configuration") ? issuerOrDiscoveryUrl
                : issuerOrDiscoveryUrl.replaceAll("/+$", "") + "/.well-known/openid-configuration";
        Instant now = clock.instant();
        Cached cached = cache.get(url);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.endpoints();
        }
        OidcEndpoints endpoints = fetch(url);
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(url, new Cached(endpoints, now.plus(TTL)));
        return endpoints;
    }

    private OidcEndpoints fetch(String url) throws FederationFailure {
        HTTPResponse response = http.send(new HTTPRequest(HTTPRequest.Method.GET, URI.create(url)), "discovery");
        if (response.getStatusCode() != 200) {
            throw new FederationFailure(ProviderHttp.DISCOVERY_FAILED, ProviderHttp.DISCOVERY_DESCRIPTION,
                    "discovery " + url + " answered HTTP " + response.getStatusCode());
        }
        try {
            OIDCProviderMetadata metadata = OIDCProviderMetadata.parse(response.getBodyAsJSONObject());
            return new OidcEndpoints(Optional.of(metadata.getIssuer().getValue()),
                    metadata.getAuthorizationEndpointURI().toString(), metadata.getTokenEndpointURI().toString(),
                    Optional.ofNullable(metadata.getUserInfoEndpointURI()).map(URI::toString),
                    Optional.ofNullable(metadata.getJWKSetURI()).map(URI::toString));
        } catch (com.nimbusds.oauth2.sdk.ParseException | RuntimeException e) {
            throw new FederationFailure(ProviderHttp.DISCOVERY_FAILED, ProviderHttp.DISCOVERY_DESCRIPTION,
                    "discovery document at " + url + " is invalid: " + e.getMessage());
        }
    }
}
