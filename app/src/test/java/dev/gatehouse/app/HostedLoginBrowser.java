package dev.gatehouse.app;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One browser for the hosted login: its own cookie jar, no automatic redirects, and the steps a person takes
 * (open the authorize URL, type the email, read the code from the dev mailbox, type it, pick or create an
 * organization). Reads the pages' forms the way a browser would: the action, the hidden csrf field.
 */
final class HostedLoginBrowser {
    static final String REDIRECT_URI = "http://localhost:3000/callback";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern ACTION = Pattern.compile("action=\"(/login/[^\"]+)\"");
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    private final TestGatehouse gatehouse;
    final CookieManager cookies = new CookieManager();
    private final HttpClient http;
    /** The page last shown, and its form. */
    Page page;

    record Page(int status, String html, Optional<String> location) {
        String csrf() {
            Matcher m = CSRF.matcher(html);
            if (!m.find()) {
                throw new AssertionError("no csrf field on the page:\n" + html);
            }
            return m.group(1);
        }

        String action() {
            Matcher m = ACTION.matcher(html);
            if (!m.find()) {
                throw new AssertionError("no login form on the page:\n" + html);
            }
            return m.group(1);
        }
    }

    HostedLoginBrowser(TestGatehouse gatehouse) {
        this.gatehouse = gatehouse;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** PKCE pair: verifier and its S256 challenge. */
    record Pkce(String verifier, String challenge) {
        static Pkce create() {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static String authorizePath(Map<String, String> parameters) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("response_type", "code");
        all.put("client_id", TestGatehouse.CLIENT_ID);
        all.put("redirect_uri", REDIRECT_URI);
        all.put("scope", "openid profile email offline_access");
        all.put("state", "state-1");
        all.put("nonce", "nonce-1");
        all.putAll(parameters);
        all.values().removeIf(v -> v == null);
        return "/oauth/authorize?" + form(all);
    }

    /** GET; a redirect to the login page is followed, a redirect anywhere else is returned. */
    Page open(String pathOrUrl) {
        Page answer = send(HttpRequest.newBuilder(uri(pathOrUrl)).GET());
        if (answer.location().filter(l -> l.startsWith(gatehouse.baseUrl() + "/login/")).isPresent()) {
            answer = send(HttpRequest.newBuilder(uri(answer.location().get())).GET());
        }
        page = answer;
        return answer;
    }

    Page post(Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("csrf", page.csrf());
        all.putAll(fields);
        String action = page.action();
        page = send(HttpRequest.newBuilder(uri(action)).header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(all))));
        return page;
    }

    /** POST to {@code action} (a page outside /login/, e.g. the IdP simulator's) with the shown page's CSRF token. */
    Page postTo(String action, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("csrf", page.csrf());
        all.putAll(fields);
        page = send(HttpRequest.newBuilder(uri(action)).header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(all))));
        return page;
    }

    Page submitEmail(String email) {
        return post(Map.of("action", "email", "email", email));
    }

    Page submitCode(String code) {
        return post(Map.of("action", "code", "code", code));
    }

    /** The newest code mailed to {@code email}, from the dev mailbox. */
    String latestCode(String email) {
        var mail = gatehouse.get("/_dev/mail.json", null).json();
        for (var message : mail.get("messages")) {
            if (message.get("to").asText().equalsIgnoreCase(email)) {
                Matcher m = CODE.matcher(message.get("text").asText());
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        throw new AssertionError("no code mailed to " + email + ": " + mail);
    }

    /** Email → code → (create an organization when asked): returns the callback URL the browser was sent to. */
    String signIn(String authorizePath, String email) {
        open(authorizePath);
        submitEmail(email);
        Page afterCode = submitCode(latestCode(email));
        if (afterCode.location().isEmpty() && afterCode.html().contains("Create your organization")) {
            afterCode = post(Map.of("action", "create_organization", "name", "Org of " + email));
        }
        return afterCode.location().orElseThrow(() -> new AssertionError("no redirect after sign-in:\n" + page.html()));
    }

    static Map<String, String> query(String url) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String query = URI.create(url).getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                parameters.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private URI uri(String pathOrUrl) {
        return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : gatehouse.baseUrl() + pathOrUrl);
    }

    private Page send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Page(response.statusCode(), response.body(), response.headers().firstValue("location"));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
