package dev.gatehouse.oauth.endpoint;

import dev.gatehouse.core.wire.WireRequest;
import dev.gatehouse.core.wire.WireResponse;
import java.util.Map;
import java.util.Optional;
import net.minidev.json.JSONObject;

/** RFC 6750: reading a bearer token from the Authorization header, and the error answer with its challenge. */
final class BearerTokens {
    private BearerTokens() {}

    static Optional<String> from(WireRequest request) {
        return request.header("authorization")
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).strip())
                .filter(value -> !value.isEmpty());
    }

    static WireResponse challenge(int status, String error, String description) {
        JSONObject json = new JSONObject();
        json.put("error", error);
        json.put("error_description", description);
        return new WireResponse(status, Map.of("www-authenticate",
                "Bearer error=\"" + error + "\", error_description=\"" + description + "\"", "cache-control", "no-store"),
                "application/json;charset=utf-8", json.toJSONString());
    }
}
