package dev.gatehouse.core.wire;

import java.util.Map;

/** A protocol response: status, headers and a body already serialised for its content type. */
public record WireResponse(int status, Map<String, String> headers, String contentType, String body) {
    public WireResponse {
        headers = Map.copyOf(headers);
    }

    /** A JSON response that must not be cached (RFC 6749 §5.1). */
    public static WireResponse noStoreJson(int status, String json, Map<String, String> extraHeaders) {
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>(extraHeaders);
        headers.put("cache-control", "no-store");
        headers.put("pragma", "no-cache");
        return new WireResponse(status, headers, "application/json;charset=utf-8", json);
    }
}
