package dev.gatehouse.core.connection;

import dev.gatehouse.core.shared.FieldViolation;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the URLs of a connection's settings: absolute, with a host, no user info or fragment, at most 2,048
 * characters, and https unless plain http is allowed ({@code debug_enabled}, R-SSO-99; or a loopback host for the
 * app's own default redirect URI).
 */
final class IdpUrls {
    static final int MAX_LENGTH = 2048;
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private IdpUrls() {}

    /** The URL to store: empty when {@code value} is empty (the caller clears the field), else the checked URL. */
    static Optional<String> check(String field, String value, boolean allowHttp, List<FieldViolation> violations) {
        return check(field, field, value, allowHttp, violations);
    }

    /** {@link #check(String, String, boolean, List)} for a URL the field only led to: {@code subject} names it. */
    static Optional<String> check(String field, String subject, String value, boolean allowHttp,
                                  List<FieldViolation> violations) {
        String url = value.strip();
        if (url.isEmpty()) {
            return Optional.empty();
        }
        String problem = problem(url, allowHttp);
        if (problem != null) {
            violations.add(new FieldViolation(field, subject + " " + problem, "string.uri"));
            return Optional.empty();
        }
        return Optional.of(url);
    }

    static boolean isLoopback(String url) {
        try {
            String host = new URI(url).getHost();
            return host != null && LOOPBACK_HOSTS.contains(host.toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String problem(String url, boolean allowHttp) {
        if (url.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getHost().isEmpty() || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null) {
            return "must be an absolute URL with a host, without user info or fragment";
        }
        if (scheme.equals("https") || (scheme.equals("http") && allowHttp)) {
            return null;
        }
        return allowHttp ? "must use http or https" : "must use https (http only with debug_enabled)";
    }
}
