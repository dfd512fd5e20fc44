package dev.gatehouse.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local stand-in for a social provider's OAuth 2.0 endpoints, with the real providers' response shapes: a token
 * endpoint (client_secret_post, PKCE S256 checked, one-use codes), an OIDC userinfo endpoint (Google, Microsoft,
 * GitLab, LinkedIn, Salesforce) and GitHub's REST API ({@code /api/user}, {@code /api/user/emails}). The test plays
 * the provider's consent screen by calling {@link #authorize} with the authorization request Gatehouse sent.
 */
final class SocialProviderStandIn implements AutoCloseable {
    static final String CLIENT_ID = "social-client";
    static final String CLIENT_SECRET = "social-secret-0123456789";

    private final HttpServer server;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> tokens = new ConcurrentHashMap<>();

    /** What the user consented to: the profile the provider will show, for GitHub its email list too. */
    record Profile(Map<String, Object> userinfo, List<Map<String, Object>> githubEmails) {}

    private record Grant(String challenge, String redirectUri, Profile profile) {}

    SocialProviderStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.createContext("/userinfo", exchange -> withToken(exchange, token -> TestGatehouse.toJson(token)));
        server.createContext("/api/user/emails", exchange -> withToken(exchange,
                token -> TestGatehouse.toJson(token.get("__emails"))));
        server.createContext("/api/user", exchange -> withToken(exchange, token -> {
            Map<String, Object> user = new LinkedHashMap<>(token);
            user.remove("__emails");
            return TestGatehouse.toJson(user);
        }));
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The user signs in at the provider: a code bound to the request's PKCE challenge and redirect URI. */
    String authorize(Map<String, String> authorizationRequest, Profile profile) {
        String code = "code-" + UUID.randomUUID();
        codes.put(code, new Grant(authorizationRequest.get("code_challenge"), authorizationRequest.get("redirect_uri"), profile));
        return code;
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        Grant grant = codes.remove(form.getOrDefault("code", ""));
        if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
            respond(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        if (grant == null || !grant.redirectUri().equals(form.get("redirect_uri"))
                || !grant.challenge().equals(s256(form.getOrDefault("code_verifier", "")))) {
            respond(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        String accessToken = "at-" + UUID.randomUUID();
        Map<String, Object> claims = new LinkedHashMap<>(grant.profile().userinfo());
        claims.put("__emails", grant.profile().githubEmails());
        tokens.put(accessToken, claims);
        respond(exchange, 200, "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"bearer\",\"scope\":\"read:user\"}");
    }

    private void withToken(HttpExchange exchange, java.util.function.Function<Map<String, Object>, String> body)
            throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("authorization");
        Map<String, Object> token = authorization == null ? null : tokens.get(authorization.replaceFirst("(?i)^bearer ", ""));
        if (token == null) {
            respond(exchange, 401, "{\"message\":\"Bad credentials\"}");
            return;
        }
        respond(exchange, 200, body.apply(token));
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
