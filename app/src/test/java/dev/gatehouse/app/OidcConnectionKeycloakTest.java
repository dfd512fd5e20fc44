package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An organization's OIDC connection to Keycloak 26, end to end: created through the API from Keycloak's issuer URL,
 * a login at {@code /oauth/authorize?connection_id=…} sent to Keycloak with PKCE S256, state and nonce, Keycloak's
 * own login form filled in by an HTTP client, the callback at {@code /sso/v1/oidc/{id}/callback}, and tokens at the
 * app, whose ID token carries the Keycloak identity ({@code identities}), {@code c_hash} and the mapped custom
 * attribute. Refusals (bad state, a nonce that is not the login's, a code Keycloak does not know, a userinfo endpoint
 * that fails) are audited with their step and reach the app with the seed's codes.
 */
class OidcConnectionKeycloakTest {
    private static final String REALM = "acme-oidc";
    private static final String KC_CLIENT = "gatehouse";
    private static final String KC_SECRET = "kc-secret-0123456789";
    private static final String EMAIL = "ada@acme.test";
    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
    private static final Pattern ANY_ACTION = Pattern.compile("action=\"([^\"]+)\"");

    private static OidcKeycloakIdp keycloak;
    private static TestGatehouse gatehouse;
    private static String token;
    private static String organizationId;
    private static String connectionId;
    /** A second connection to the same realm whose token endpoint is a proxy that alters the ID token's payload. */
    private static String tamperedConnectionId;
    private static com.sun.net.httpserver.HttpServer tamperingProxy;
    /** Stands in for the IdP's userinfo endpoint where it fails: {@code /status-500} and {@code /not-json}. */
    private static com.sun.net.httpserver.HttpServer brokenUserinfo;

    @BeforeAll
    static void start() {
        keycloak = OidcKeycloakIdp.shared();
        gatehouse = TestGatehouse.start(Map.of("GATEHOUSE_SSO_ALLOW_PRIVATE_METADATA", "true"));
        token = gatehouse.accessToken();
        assertThat(gatehouse.patchJson("/api/v1/clients/" + TestGatehouse.CLIENT_ID, token,
                Map.of("redirect_uris", List.of(HostedLoginBrowser.REDIRECT_URI))).status()).isEqualTo(200);
        keycloak.createRealm(REALM, KC_CLIENT, KC_SECRET, gatehouse.baseUrl() + "/sso/v1/oidc/*", "ada", "ada-password", EMAIL);
        var organization = gatehouse.postJson("/api/v1/organizations", token, Map.of("display_name", "Acme"));
        organizationId = organization.json().path("organization").path("id").asText();
        String connections = "/api/v1/organizations/" + organizationId + "/connections";
        var created = gatehouse.postJson(connections, token, Map.of("type", "OIDC", "provider", "CUSTOM"));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        connectionId = created.json().path("connection").path("id").asText();
        var configured = gatehouse.patchJson(connections + "/" + connectionId, token, Map.of("debug_enabled", true, "oidc_config", Map.of(
                "issuer", keycloak.issuer(REALM), "client_id", KC_CLIENT, "client_secret", KC_SECRET,
                "token_auth_type", "BASIC_AUTH", "pkce_enabled", true),
                "attribute_mapping", Map.of("sub", "sub", "email", "email", "email_verified", "email_verified",
                        "given_name", "given_name", "family_name", "family_name", "name", "name",
                        "employee_number", "preferred_username")));
        assertThat(configured.status()).as("%s", configured).isEqualTo(200);
        assertThat(configured.json().path("connection").path("oidc_config").path("redirect_uri").asText())
                .isEqualTo(gatehouse.baseUrl() + "/sso/v1/oidc/" + connectionId + "/callback");
        var enabled = gatehouse.send("PATCH", connections + "/" + connectionId + ":enable", token, null, null);
        assertThat(enabled.status()).as("%s", enabled).isEqualTo(200);

        tamperingProxy = startTamperingProxy(keycloak.issuer(REALM) + "/protocol/openid-connect/token");
        tamperedConnectionId = gatehouse.postJson(connections, token, Map.of("type", "OIDC", "provider", "CUSTOM"))
                .json().path("connection").path("id").asText();
        assertThat(gatehouse.patchJson(connections + "/" + tamperedConnectionId, token, Map.of("debug_enabled", true,
                "oidc_config", Map.of("issuer", keycloak.issuer(REALM), "client_id", KC_CLIENT, "client_secret", KC_SECRET,
                        "token_uri", "http://127.0.0.1:" + tamperingProxy.getAddress().getPort() + "/token"))).status())
                .isEqualTo(200);
        assertThat(gatehouse.send("PATCH", connections + "/" + tamperedConnectionId + ":enable", token, null, null)
                .status()).isEqualTo(200);
        brokenUserinfo = startBrokenUserinfo();
    }

    private static com.sun.net.httpserver.HttpServer startBrokenUserinfo() {
        try {
            var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/status-500", exchange -> answer(exchange, 500, "{\"error\":\"server_error\"}"));
            server.createContext("/not-json", exchange -> answer(exchange, 200, "<html>userinfo</html>"));
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** An enabled connection to the realm whose userinfo endpoint is {@code userinfoPath} of the broken stand-in. */
    private static String connectionWithUserinfo(String userinfoPath) {
        String connections = "/api/v1/organizations/" + organizationId + "/connections";
        String id = gatehouse.postJson(connections, token, Map.of("type", "OIDC", "provider", "CUSTOM"))
                .json().path("connection").path("id").asText();
        var configured = gatehouse.patchJson(connections + "/" + id, token, Map.of("debug_enabled", true,
                "oidc_config", Map.of("issuer", keycloak.issuer(REALM), "client_id", KC_CLIENT, "client_secret", KC_SECRET,
                        "user_info_uri", "http://127.0.0.1:" + brokenUserinfo.getAddress().getPort() + userinfoPath)));
        assertThat(configured.status()).as("%s", configured).isEqualTo(200);
        assertThat(gatehouse.send("PATCH", connections + "/" + id + ":enable", token, null, null).status()).isEqualTo(200);
        return id;
    }

    /** The {@code step} attribute of an audit row (D-AL1). */
    private static String step(TestGatehouse.AuditRow row) {
        try {
            return TestGatehouse.JSON.readTree(row.attributes()).path("step").asText();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Forwards token requests to Keycloak and swaps the ID token's email claim, keeping Keycloak's signature. */
    private static com.sun.net.httpserver.HttpServer startTamperingProxy(String keycloakTokenUrl) {
        try {
            var proxy = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            proxy.createContext("/token", exchange -> {
                HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(keycloakTokenUrl))
                        .header("content-type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
                Optional.ofNullable(exchange.getRequestHeaders().getFirst("authorization"))
                        .ifPresent(value -> forward.header("authorization", value));
                byte[] body;
                int status;
                try {
                    HttpResponse<String> answer = HttpClient.newHttpClient().send(forward.build(),
                            HttpResponse.BodyHandlers.ofString());
                    status = answer.statusCode();
                    var json = (com.fasterxml.jackson.databind.node.ObjectNode) TestGatehouse.JSON.readTree(answer.body());
                    if (json.has("id_token")) {
                        String[] parts = json.get("id_token").asText().split("\\.");
                        var payload = (com.fasterxml.jackson.databind.node.ObjectNode) TestGatehouse.JSON.readTree(
                                java.util.Base64.getUrlDecoder().decode(parts[1]));
                        payload.put("email", "attacker@evil.test");
                        parts[1] = java.util.Base64.getUrlEncoder().withoutPadding()
                                .encodeToString(TestGatehouse.JSON.writeValueAsBytes(payload));
                        json.put("id_token", String.join(".", parts));
                    }
                    body = TestGatehouse.JSON.writeValueAsBytes(json);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                exchange.getResponseHeaders().add("content-type", "application/json");
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            proxy.start();
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        if (tamperingProxy != null) {
            tamperingProxy.stop(0);
        }
        if (brokenUserinfo != null) {
            brokenUserinfo.stop(0);
        }
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    /** A browser: one cookie jar for both servers, no automatic redirects. */
    private static final class Browser {
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new LoopbackCookieHandler(new CookieManager()))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

        HttpResponse<String> get(String url) {
            return send(HttpRequest.newBuilder(URI.create(url)).GET());
        }

        HttpResponse<String> post(String url, Map<String, String> form) {
            return send(HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(SamlBrowser.form(form))));
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            try {
                return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String location(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("%s %s", response, response.body()).isEqualTo(302);
        return response.headers().firstValue("location").orElseThrow();
    }

    /** Gatehouse's authorize → the Keycloak authorization URL it redirects to. */
    private static String toKeycloak(Browser browser, String state) {
        return toKeycloak(browser, state, connectionId);
    }

    private static String toKeycloak(Browser browser, String state, String connection) {
        String url = location(browser.get(gatehouse.baseUrl() + HostedLoginBrowser.authorizePath(Map.of(
                "connection_id", connection, "state", state))));
        assertThat(url).startsWith(keycloak.issuer(REALM) + "/protocol/openid-connect/auth?");
        return url;
    }

    /** Keycloak's login form, filled in: the redirect back to Gatehouse's callback. */
    private static String signInAtKeycloak(Browser browser, String authorizationUrl) {
        return signInAtKeycloak(browser, authorizationUrl, connectionId);
    }

    private static String signInAtKeycloak(Browser browser, String authorizationUrl, String connection) {
        HttpResponse<String> page = browser.get(authorizationUrl);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        Matcher action = FORM_ACTION.matcher(page.body());
        if (!action.find()) {
            action = ANY_ACTION.matcher(page.body());
            assertThat(action.find()).as(page.body()).isTrue();
        }
        String callback = location(browser.post(action.group(1).replace("&amp;", "&"),
                Map.of("username", "ada", "password", "ada-password", "credentialId", "")));
        assertThat(callback).startsWith(gatehouse.baseUrl() + "/sso/v1/oidc/" + connection + "/callback?");
        return callback;
    }

    private static JsonNode claims(String jwt) {
        try {
            return TestGatehouse.JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aUserSignsInThroughKeycloakAndTheAppGetsTokensForTheOrganization() {
        Browser browser = new Browser();
        String authorization = toKeycloak(browser, "app-state-1");
        Map<String, String> request = HostedLoginBrowser.query(authorization);
        assertThat(request).containsEntry("client_id", KC_CLIENT).containsEntry("code_challenge_method", "S256")
                .containsEntry("response_type", "code").containsKeys("code_challenge", "nonce", "state")
                .containsEntry("redirect_uri", gatehouse.baseUrl() + "/sso/v1/oidc/" + connectionId + "/callback");
        assertThat(request.get("scope")).contains("openid");

        String app = location(browser.get(signInAtKeycloak(browser, authorization)));
        Map<String, String> returned = HostedLoginBrowser.query(app);
        assertThat(app).startsWith(HostedLoginBrowser.REDIRECT_URI + "?");
        assertThat(returned).containsEntry("state", "app-state-1").containsKey("code").doesNotContainKey("error");

        var tokens = gatehouse.postForm("/oauth/token", Map.of("grant_type", "authorization_code", "code", returned.get("code"),
                "redirect_uri", HostedLoginBrowser.REDIRECT_URI, "client_id", TestGatehouse.CLIENT_ID,
                "client_secret", TestGatehouse.CLIENT_SECRET), Map.of());
        assertThat(tokens.status()).as("%s", tokens).isEqualTo(200);
        JsonNode id = claims(tokens.json().get("id_token").asText());
        assertThat(id.get("sub").asText()).startsWith("usr_");
        assertThat(id.get("oid").asText()).isEqualTo(organizationId);
        assertThat(id.get("email").asText()).isEqualTo(EMAIL);
        assertThat(id.get("amr")).extracting(JsonNode::asText).containsExactly(connectionId);
        assertThat(id.path("c_hash").asText()).isEqualTo(leftHalfSha256(returned.get("code")));
        assertThat(id.path("custom_attributes").path("employee_number").asText()).isEqualTo("ada");
        JsonNode identity = id.path("identities").get(0);
        assertThat(identity.path("organization_id").asText()).isEqualTo(organizationId);
        assertThat(identity.path("connection_id").asText()).isEqualTo(connectionId);
        assertThat(identity.path("connection_type").asText()).isEqualTo("OIDC");
        assertThat(identity.path("provider_name").asText()).isEqualTo("CUSTOM");
        assertThat(identity.path("social").asBoolean()).isFalse();
        // Keycloak's own ID-token claims, as the spec's example shows them (iss, nonce, aud, ...).
        JsonNode raw = identity.path("provider_raw_attributes");
        assertThat(raw.path("iss").asText()).isEqualTo(keycloak.issuer(REALM));
        assertThat(raw.path("nonce").asText()).isEqualTo(request.get("nonce"));
        assertThat(raw.path("email").asText()).isEqualTo(EMAIL);
    }

    private static String leftHalfSha256(String value) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(java.util.Arrays.copyOf(digest, digest.length / 2));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aUserinfoEndpointThatFailsOrAnswersNoJsonIsUserInfoRetrieveFailedAuditedWithItsStep() {
        for (String path : List.of("/status-500", "/not-json")) {
            String connection = connectionWithUserinfo(path);
            Browser browser = new Browser();
            String authorization = toKeycloak(browser, "app-state-userinfo", connection);
            long mark = gatehouse.auditMark();
            String app = location(browser.get(signInAtKeycloak(browser, authorization, connection)));
            assertThat(app).as(path).startsWith(HostedLoginBrowser.REDIRECT_URI + "?");
            assertThat(HostedLoginBrowser.query(app)).as(path).containsEntry("error", "user_info_retrieve_failed")
                    .containsEntry("state", "app-state-userinfo").doesNotContainKey("code");
            assertThat(gatehouse.auditSince(mark, "login.federation.rejected")).as(path).singleElement()
                    .satisfies(row -> {
                        assertThat(row.reasonCode()).contains("user_info_retrieve_failed");
                        assertThat(step(row)).isEqualTo("userinfo");
                        assertThat(row.attributes()).contains(connection);
                    });
        }
    }

    @Test
    void aNonceThatIsNotTheLoginsIsRefusedAsAnInvalidIdTokenAndAudited() {
        Browser browser = new Browser();
        String authorization = toKeycloak(browser, "app-state-2");
        String nonce = HostedLoginBrowser.query(authorization).get("nonce");
        long mark = gatehouse.auditMark();
        String app = location(browser.get(signInAtKeycloak(browser, authorization.replace("nonce=" + nonce, "nonce=forged"))));
        assertThat(HostedLoginBrowser.query(app)).containsEntry("error", "invalid_id_token").containsEntry("state", "app-state-2")
                .doesNotContainKey("code");
        assertThat(gatehouse.auditSince(mark, "login.federation.rejected")).singleElement()
                .satisfies(row -> {
                    assertThat(row.reason().orElseThrow()).startsWith("invalid_id_token: ID token rejected");
                    assertThat(step(row)).isEqualTo("nonce");
                });
    }

    @Test
    void anIdTokenAlteredAfterKeycloakSignedItIsRefusedAndAudited() {
        Browser browser = new Browser();
        String authorization = toKeycloak(browser, "app-state-5", tamperedConnectionId);
        long mark = gatehouse.auditMark();
        String app = location(browser.get(signInAtKeycloak(browser, authorization, tamperedConnectionId)));
        assertThat(HostedLoginBrowser.query(app)).containsEntry("error", "invalid_id_token")
                .containsEntry("state", "app-state-5").doesNotContainKey("code");
        assertThat(gatehouse.auditSince(mark, "login.federation.rejected")).singleElement()
                .satisfies(row -> {
                    assertThat(row.reason().orElseThrow()).startsWith("invalid_id_token: ID token rejected");
                    assertThat(step(row)).isEqualTo("id_token_signature");
                });
    }

    @Test
    void aCodeKeycloakDidNotIssueFailsTheTokenExchange() {
        Browser browser = new Browser();
        String callback = signInAtKeycloak(browser, toKeycloak(browser, "app-state-3"));
        String code = HostedLoginBrowser.query(callback).get("code");
        long mark = gatehouse.auditMark();
        String app = location(browser.get(callback.replace("code=" + code, "code=not-a-code")));
        assertThat(HostedLoginBrowser.query(app)).containsEntry("error", "failed_to_exchange_token")
                .containsEntry("state", "app-state-3");
        assertThat(gatehouse.auditSince(mark, "login.federation.rejected")).singleElement()
                .satisfies(row -> {
                    assertThat(row.reason().orElseThrow()).startsWith("failed_to_exchange_token");
                    assertThat(step(row)).isEqualTo("token_exchange");
                });
    }

    @Test
    void aCallbackWithAnUnknownStateOrFromAnotherBrowserIsAnErrorPageNeverA500() {
        Browser browser = new Browser();
        String callback = signInAtKeycloak(browser, toKeycloak(browser, "app-state-4"));
        long mark = gatehouse.auditMark();
        String path = "/sso/v1/oidc/" + connectionId + "/callback";
        for (String url : List.of(callback, gatehouse.baseUrl() + path + "?state=login_bogus&code=x",
                gatehouse.baseUrl() + path, gatehouse.baseUrl() + "/sso/v1/oidc/conn_404/callback?state=x&code=y")) {
            HttpResponse<String> answer = new Browser().get(url);
            assertThat(answer.statusCode()).as(url).isEqualTo(400);
        }
        assertThat(gatehouse.auditSince(mark, "login.federation.rejected")).hasSizeGreaterThanOrEqualTo(4);
        Optional<String> stillUsable = browser.get(callback).headers().firstValue("location");
        assertThat(stillUsable).as("the right browser still completes its login").isPresent();
        assertThat(HostedLoginBrowser.query(stillUsable.get())).containsKey("code");
    }

}
