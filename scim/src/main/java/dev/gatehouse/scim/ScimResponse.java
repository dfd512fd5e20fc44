package dev.gatehouse.scim;

import java.util.Map;

/** Status, extra headers and a JSON body (empty for 204). The content type is always application/scim+json. */
public record ScimResponse(int status, Map<String, String> headers, String body) {
    public static final String CONTENT_TYPE = "application/scim+json;charset=utf-8";

    public ScimResponse {
        headers = Map.copyOf(headers);
    }

    public static ScimResponse of(int status, String body) {
        return new ScimResponse(status, Map.of(), body);
    }
}
