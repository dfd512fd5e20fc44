package dev.gatehouse.scim;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One SCIM request as the framework-free endpoint sees it, already bound to its directory by the bearer token.
 *
 * @param method   upper-case HTTP method
 * @param path     the path below the SCIM base URL, e.g. {@code /Users/diruser_1} (no query)
 * @param query    decoded query parameters
 * @param body     the request body (empty when none)
 * @param baseUrl  the directory's SCIM base URL, for {@code meta.location}
 * @param remoteAddress the client's IP address, for the audit records of writes
 */
public record ScimRequest(String method, String path, Map<String, List<String>> query, String body, String baseUrl,
                          Optional<String> remoteAddress) {
    public ScimRequest {
        query = Map.copyOf(query);
        body = body == null ? "" : body;
        remoteAddress = remoteAddress == null ? Optional.empty() : remoteAddress;
    }

    /** A request whose client address is not known. */
    public ScimRequest(String method, String path, Map<String, List<String>> query, String body, String baseUrl) {
        this(method, path, query, body, baseUrl, Optional.empty());
    }

    public Optional<String> param(String name) {
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return Optional.of(e.getValue().getFirst());
            }
        }
        return Optional.empty();
    }
}
