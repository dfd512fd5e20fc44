package dev.gatehouse.core.client;

import dev.gatehouse.core.environment.EnvironmentType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The registration rules of redirect URIs (spec-sso §8.1) and the matching of a registered
 * wildcard URI. Checks run in a fixed order, so a URI breaking several rules always gets the same
 * code: length, wildcard in production, format, query, fragment, user info, scheme, localhost,
 * wildcard placement.
 */
public final class RedirectUriRules {
    public static final int MAX_URIS = 5;
    public static final int MAX_LENGTH = 256;
    /** Stands in for {@code *} while parsing: java.net.URI does not take {@code *} in a host name. */
    private static final String PLACEHOLDER = "gatehousewildcardx";
    private static final Pattern LOOPBACK_V4 = Pattern.compile("^127(\\.\\d{1,3}){3}$");

    private RedirectUriRules() {}

    /** A refused URI: the documented code and a sentence for the developer. */
    public record Violation(RedirectUriError error, String description) {}

    /**
     * Checks one URI for registration.
     *
     * @param wildcardsPossible whether this list takes wildcards at all (sign-in redirect URIs do;
     *                          post-logout, back-channel and initiate-login URIs are matched exactly)
     */
    public static Optional<Violation> check(String uri, EnvironmentType type, boolean wildcardsPossible) {
        if (uri == null || uri.isBlank()) {
            return violation(RedirectUriError.INVALID_URI_FORMAT, "must be an absolute http(s) URI");
        }
        if (uri.length() > MAX_LENGTH) {
            return violation(RedirectUriError.URI_TOO_LONG, "must be at most " + MAX_LENGTH + " characters");
        }
        long stars = uri.chars().filter(c -> c == '*').count();
        if (stars > 0 && (type == EnvironmentType.PRODUCTION || !wildcardsPossible)) {
            return violation(RedirectUriError.WILDCARD_NOT_ALLOWED, type == EnvironmentType.PRODUCTION
                    ? "wildcards are not allowed in production environments"
                    : "wildcards are allowed only in sign-in redirect URIs");
        }
        if (uri.contains(PLACEHOLDER)) {
            return violation(RedirectUriError.INVALID_URI_FORMAT, "must be an absolute http(s) URI");
        }
        URI parsed;
        try {
            parsed = new URI(uri.replace("*", PLACEHOLDER));
        } catch (URISyntaxException e) {
            return violation(RedirectUriError.INVALID_URI_FORMAT, "must be an absolute http(s) URI");
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!parsed.isAbsolute() || parsed.isOpaque() || !(scheme.equals("http") || scheme.equals("https"))) {
            return violation(RedirectUriError.INVALID_URI_FORMAT, "must be an absolute http(s) URI");
        }
        if (parsed.getRawQuery() != null) {
            return violation(RedirectUriError.QUERY_PARAMETERS_NOT_ALLOWED, "must not have a query string");
        }
        if (parsed.getRawFragment() != null) {
            return violation(RedirectUriError.FRAGMENT_NOT_ALLOWED, "must not have a fragment");
        }
        if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
            return violation(RedirectUriError.INVALID_URI_FORMAT, "must be an absolute http(s) URI with a host name");
        }
        if (parsed.getRawUserInfo() != null) {
            return violation(RedirectUriError.INVALID_REDIRECT_URI, "must not contain user information");
        }
        String host = parsed.getHost().toLowerCase(Locale.ROOT);
        if (type == EnvironmentType.PRODUCTION) {
            if (scheme.equals("http")) {
                return violation(RedirectUriError.HTTP_NOT_ALLOWED, "production environments accept https only");
            }
            if (isLocalhost(host)) {
                return violation(RedirectUriError.LOCALHOST_NOT_ALLOWED, "production environments do not accept localhost");
            }
        }
        if (stars > 0) {
            return checkWildcard(parsed, host, stars);
        }
        return Optional.empty();
    }

    /**
     * Whether {@code candidate} matches a registered {@code pattern} holding one {@code *}: same
     * scheme, port, path and number of host labels; the labels after the first equal (ignoring case);
     * the first label equal around the {@code *}, which stands for one or more characters other than a
     * dot. No query, fragment or user info on the candidate.
     */
    public static boolean wildcardMatches(String pattern, String candidate) {
        if (pattern == null || candidate == null || candidate.length() > 2048
                || pattern.chars().filter(c -> c == '*').count() != 1 || candidate.contains("*")) {
            return false;
        }
        URI registered;
        URI presented;
        try {
            registered = new URI(pattern.replace("*", PLACEHOLDER));
            presented = new URI(candidate);
        } catch (URISyntaxException e) {
            return false;
        }
        if (presented.isOpaque() || presented.getHost() == null || presented.getRawUserInfo() != null
                || presented.getRawQuery() != null || presented.getRawFragment() != null
                || registered.getHost() == null || registered.getScheme() == null || presented.getScheme() == null) {
            return false;
        }
        if (!registered.getScheme().equalsIgnoreCase(presented.getScheme())
                || registered.getPort() != presented.getPort()
                || !registered.getRawPath().equals(presented.getRawPath())) {
            return false;
        }
        String[] patternLabels = registered.getHost().toLowerCase(Locale.ROOT).split("\\.", -1);
        String[] hostLabels = presented.getHost().toLowerCase(Locale.ROOT).split("\\.", -1);
        if (patternLabels.length != hostLabels.length) {
            return false;
        }
        for (int i = 1; i < patternLabels.length; i++) {
            if (!patternLabels[i].equals(hostLabels[i])) {
                return false;
            }
        }
        String first = patternLabels[0];
        int star = first.indexOf(PLACEHOLDER);
        if (star < 0) {
            return false;
        }
        String prefix = first.substring(0, star);
        String suffix = first.substring(star + PLACEHOLDER.length());
        String label = hostLabels[0];
        return label.length() > prefix.length() + suffix.length()
                && label.startsWith(prefix) && label.endsWith(suffix);
    }

    private static Optional<Violation> checkWildcard(URI parsed, String host, long stars) {
        if (stars > 1) {
            return violation(RedirectUriError.INVALID_WILDCARD_USAGE, "may hold at most one wildcard");
        }
        if (!parsed.getHost().contains(PLACEHOLDER)) {
            return violation(RedirectUriError.INVALID_WILDCARD_USAGE, "a wildcard is allowed only in the host name");
        }
        String[] labels = host.split("\\.", -1);
        if (!labels[0].contains(PLACEHOLDER)) {
            return violation(RedirectUriError.INVALID_WILDCARD_USAGE,
                    "a wildcard is allowed only in the left-most label of the host name");
        }
        if (labels.length < 3) {
            return violation(RedirectUriError.INVALID_WILDCARD_USAGE,
                    "a wildcard is not allowed at the root level of a domain (use *.example.com, not *.com)");
        }
        return Optional.empty();
    }

    /** {@code localhost}, any {@code *.localhost}, and the IPv4 and IPv6 loopback and unspecified addresses. */
    static boolean isLocalhost(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return h.equals("localhost") || h.endsWith(".localhost") || LOOPBACK_V4.matcher(h).matches()
                || h.equals("0.0.0.0") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1") || h.equals("::");
    }

    private static Optional<Violation> violation(RedirectUriError error, String description) {
        return Optional.of(new Violation(error, description));
    }
}
