package dev.gatehouse.core.wire;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A protocol request as the framework-free endpoints see it: no Armeria, no servlet types.
 * Header names are lower case.
 */
public record WireRequest(
        String method,
        String url,
        Map<String, List<String>> headers,
        String body,
        String remoteAddress) {

    public WireRequest {
        headers = Map.copyOf(headers);
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }
}
