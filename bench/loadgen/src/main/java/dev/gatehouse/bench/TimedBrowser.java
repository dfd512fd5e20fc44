package dev.gatehouse.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One browser without JavaScript for one login (a fresh cookie jar each time): follows redirects by hand, submits
 * auto-posting forms (SAML bindings) as a browser's script would, fills in the IdP's login form, and stops at the
 * app's redirect URI. Cookies are kept per host (not port) and path, as browsers do; {@code Secure} is ignored because
 * browsers treat loopback http as a secure context (Keycloak marks its cookies Secure in dev mode). The time spent in
 * requests to the IdP ({@code idpPrefix}, e.g. Keycloak's {@code /realms/idp/}) is summed apart, so a login's time
 * splits into the IdP's part and the rest (the SP or broker, the app's token exchange, this client).
 */
final class TimedBrowser {
    private static final int MAX_STEPS = 20;
    private static final Pattern FORM = Pattern.compile("<form\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ACTION = Pattern.compile("\\baction=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern INPUT = Pattern.compile("<input\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("\\bname=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern VALUE = Pattern.compile("\\bvalue=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

    private final HttpClient http;
    private final String idpPrefix;
    private final List<StoredCookie> cookies = new ArrayList<>();
    private long idpNanos;

    private record StoredCookie(String host, String path, String name, String value) {}

    /** An answer: where it came from, its status, {@code Location} (resolved), and body. */
    record Page(URI url, int status, String location, String body) {}

    /** The IdP's answer to the login form, the user's credentials for it. */
    record Credentials(String username, String password) {}

    TimedBrowser(HttpClient http, String idpPrefix) {
        this.http = http;
        this.idpPrefix = idpPrefix;
    }

    /** Nanoseconds spent so far in requests to the IdP. */
    long idpNanos() {
        return idpNanos;
    }

    /**
     * From {@code startUrl} (the app's authorize request) to the redirect to {@code redirectUri}: returns that URL.
     * Auto-post forms are submitted, Keycloak's login form ({@code kc-form-login}) gets the credentials once.
     */
    String journey(String startUrl, String redirectUri, Credentials credentials) {
        Page page = get(URI.create(startUrl));
        boolean loggedIn = false;
        for (int step = 0; step < MAX_STEPS; step++) {
            if (page.status() / 100 == 3 && page.location() != null) {
                if (page.location().startsWith(redirectUri)) {
                    return page.location();
                }
                page = get(URI.create(page.location()));
            } else if (page.status() == 200 && page.body().contains("id=\"kc-form-login\"") && !loggedIn) {
                loggedIn = true;
                page = post(page.url().resolve(formAction(page, "kc-form-login")), Map.of("username",
                        credentials.username(), "password", credentials.password(), "credentialId", ""));
            } else if (page.status() == 200 && (page.body().contains("name=\"SAMLResponse\"")
                    || page.body().contains("name=\"SAMLRequest\""))) {
                page = post(page.url().resolve(formAction(page, null)), hiddenFields(page.body()));
            } else {
                throw new IllegalStateException("unexpected answer from " + page.url().getPath() + ": HTTP "
                        + page.status() + " " + OidcClient.abbreviate(page.body()));
            }
        }
        throw new IllegalStateException("no redirect to " + redirectUri + " after " + MAX_STEPS + " steps");
    }

    Page get(URI url) {
        return send(HttpRequest.newBuilder(url).GET(), url);
    }

    Page post(URI url, Map<String, String> fields) {
        StringJoiner form = new StringJoiner("&");
        fields.forEach((name, value) -> form.add(FormHttp.encode(name) + "=" + FormHttp.encode(value)));
        return send(HttpRequest.newBuilder(url).header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())), url);
    }

    private Page send(HttpRequest.Builder request, URI url) {
        String cookieHeader = cookieHeader(url);
        if (!cookieHeader.isEmpty()) {
            request.header("cookie", cookieHeader);
        }
        long begin = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (url.toString().startsWith(idpPrefix)) {
            idpNanos += System.nanoTime() - begin;
        }
        response.headers().allValues("set-cookie").forEach(header -> store(url, header));
        String location = response.headers().firstValue("location").map(l -> url.resolve(l).toString()).orElse(null);
        return new Page(url, response.statusCode(), location, response.body());
    }

    /** The action of the page's form (the one whose tag has {@code id="<formId>"}, or the first), entities decoded. */
    private static String formAction(Page page, String formId) {
        Matcher forms = FORM.matcher(page.body());
        while (forms.find()) {
            String tag = forms.group();
            if (formId == null || tag.contains("id=\"" + formId + "\"")) {
                Matcher action = ACTION.matcher(tag);
                if (action.find()) {
                    return unescape(action.group(1));
                }
            }
        }
        throw new IllegalStateException("no form" + (formId == null ? "" : " " + formId) + " on "
                + page.url().getPath() + ": " + OidcClient.abbreviate(page.body()));
    }

    /** The named inputs with a value (an auto-post form's hidden fields), entities decoded. */
    private static Map<String, String> hiddenFields(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher inputs = INPUT.matcher(html);
        while (inputs.find()) {
            Matcher name = NAME.matcher(inputs.group());
            Matcher value = VALUE.matcher(inputs.group());
            if (name.find() && value.find()) {
                fields.put(unescape(name.group(1)), unescape(value.group(1)));
            }
        }
        return fields;
    }

    static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#34;", "\"").replace("&#39;", "'").replace("&#x27;", "'")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&#x2F;", "/").replace("&#x2f;", "/")
                .replace("&#47;", "/").replace("&#61;", "=").replace("&#x3D;", "=").replace("&#43;", "+")
                .replace("&#x2B;", "+").replace("&amp;", "&");
    }

    private String cookieHeader(URI url) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        StringJoiner header = new StringJoiner("; ");
        for (StoredCookie cookie : cookies) {
            if (cookie.host().equals(url.getHost()) && pathMatches(path, cookie.path())) {
                header.add(cookie.name() + "=" + cookie.value());
            }
        }
        return header.toString();
    }

    /** RFC 6265 §5.1.4 path matching. */
    private static boolean pathMatches(String requestPath, String cookiePath) {
        return requestPath.equals(cookiePath) || (requestPath.startsWith(cookiePath)
                && (cookiePath.endsWith("/") || requestPath.charAt(cookiePath.length()) == '/'));
    }

    /** Stores (or, for Max-Age=0 or an expiry in the past, removes) one Set-Cookie. */
    private void store(URI url, String header) {
        String[] parts = header.split(";");
        int eq = parts[0].indexOf('=');
        if (eq <= 0) {
            return;
        }
        String name = parts[0].substring(0, eq).strip();
        String value = parts[0].substring(eq + 1).strip();
        String path = null;
        boolean remove = value.isEmpty();
        for (int i = 1; i < parts.length; i++) {
            String attribute = parts[i].strip();
            String lower = attribute.toLowerCase(Locale.ROOT);
            if (lower.startsWith("path=")) {
                path = attribute.substring(5);
            } else if (lower.startsWith("max-age=")) {
                remove |= attribute.substring(8).strip().startsWith("0") || attribute.substring(8).strip().startsWith("-");
            } else if (lower.startsWith("expires=") && lower.contains("1970")) {
                remove = true;
            }
        }
        if (path == null || !path.startsWith("/")) {
            String requestPath = url.getRawPath() == null ? "" : url.getRawPath();
            int slash = requestPath.lastIndexOf('/');
            path = slash <= 0 ? "/" : requestPath.substring(0, slash);
        }
        String cookiePath = path;
        cookies.removeIf(c -> c.host().equals(url.getHost()) && c.path().equals(cookiePath) && c.name().equals(name));
        if (!remove) {
            cookies.add(new StoredCookie(url.getHost(), cookiePath, name, value));
        }
    }
}
