package dev.gatehouse.app;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A browser's cookie jar for loopback http: Keycloak marks its login cookies {@code Secure} even in dev mode over
 * http; a real browser treats http://127.0.0.1 as a secure context and sends them, the JDK's {@link CookieManager}
 * does not. This handler drops the {@code Secure} attribute before storing, and otherwise is the cookie manager.
 */
final class LoopbackCookieHandler extends CookieHandler {
    private final CookieManager jar;

    LoopbackCookieHandler(CookieManager jar) {
        this.jar = jar;
    }

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) throws IOException {
        return jar.get(uri, headers);
    }

    @Override
    public void put(URI uri, Map<String, List<String>> headers) throws IOException {
        Map<String, List<String>> plain = new LinkedHashMap<>();
        headers.forEach((name, values) -> plain.put(name, name != null && name.equalsIgnoreCase("set-cookie")
                ? values.stream().map(v -> v.replaceAll("(?i);\\s*Secure(?=;|$)", "")).toList() : values));
        jar.put(uri, plain);
    }
}
