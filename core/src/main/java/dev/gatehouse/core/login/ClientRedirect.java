package dev.gatehouse.core.login;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A redirect back to the client's registered redirect URI with query parameters (code or error, and state). */
public record ClientRedirect(String redirectUri, Map<String, String> parameters) {
    public ClientRedirect {
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public static ClientRedirect code(AuthorizeRequest request, String code, String issuer) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("code", code);
        request.state().ifPresent(state -> parameters.put("state", state));
        parameters.put("iss", issuer);
        return new ClientRedirect(request.redirectUri(), parameters);
    }

    public static ClientRedirect error(String redirectUri, String error, String description, Optional<String> state,
                                       String issuer) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("error", error);
        parameters.put("error_description", description);
        state.ifPresent(s -> parameters.put("state", s));
        parameters.put("iss", issuer);
        return new ClientRedirect(redirectUri, parameters);
    }

    public String toUrl() {
        StringBuilder url = new StringBuilder(redirectUri);
        char separator = redirectUri.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            url.append(separator).append(encode(parameter.getKey())).append('=').append(encode(parameter.getValue()));
            separator = '&';
        }
        return url.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
