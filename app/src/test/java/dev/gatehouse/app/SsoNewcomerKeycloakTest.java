package dev.gatehouse.app;

import static dev.gatehouse.app.RpcStatusAssertions.assertInvalidArgument;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's "done when", exactly as a newcomer does it with curl and Keycloak 26 as the customer's IdP: REST calls only
 * (organization, its email domain, a connection), Keycloak's SAML metadata URL ({@code …/protocol/saml/descriptor}) or
 * OIDC discovery URL pasted into the connection, enable; then the app sends a user to {@code /oauth/authorize} with
 * their address as {@code login_hint}, Gatehouse routes by its domain to Keycloak, an HTTP client fills in Keycloak's
 * own login form, and the app exchanges the code at {@code /oauth/token}. Keycloak in dev mode serves plain http, so
 * the connections need {@code debug_enabled} (R-SSO-99; without it the metadata's http endpoints are refused with a
 * message that names them). Keycloak listens on loopback, which
 * Gatehouse refuses as a metadata or discovery URL (SSRF) unless the dev setting
 * {@code GATEHOUSE_SSO_ALLOW_PRIVATE_METADATA=true} allows it: this server has it, and a second server without it refuses
 * the same URLs with the right errors and audit records. A signing key rotated in Keycloak reaches Gatehouse by the
 * scheduled metadata refresh (the server's clock moved past the refresh interval).
 */
class SsoNewcomerKeycloakTest {
    private static final String PASSWORD = "newcomer-password-1";
    private static final String ALLOW_LOOPBACK = "GATEHOUSE_SSO_ALLOW_PRIVATE_METADATA";
    private static final Pattern LOGIN_FORM_TAG = Pattern.compile("<form[^>]*\\bid=\"kc-form-login\"[^>]*>");
    private static final Pattern ACTION = Pattern.compile("\\baction=\"([^\"]+)\"");
    private static final Pattern AUTHORIZE_TO_IDP_COUNT = Pattern.compile(
            "(?m)^gatehouse_oauth_authorize_seconds_count\\{[^}]*result=\"identity_provider\"[^}]*} ([0-9.E]+)$");

    private static KeycloakProcess keycloakProcess;
    private static SamlKeycloakIdp samlIdp;
    private static OidcKeycloakIdp oidcIdp;
    private static ShiftingClock clock;
    private static TestGatehouse gatehouse;
    private static String token;

    @BeforeAll
    static void start() {
        keycloakProcess = KeycloakProcess.shared();
        samlIdp = SamlKeycloakIdp.shared();
        oidcIdp = OidcKeycloakIdp.shared();
        clock = new ShiftingClock();
        gatehouse = TestGatehouse.start(Map.of(ALLOW_LOOPBACK, "true"), clock);
        token = gatehouse.accessToken();
        gatehouse.registerRedirectUris(List.of(HostedLoginBrowser.REDIRECT_URI));
    }

    @AfterAll
    static void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    /** One customer: a Keycloak realm with one user whose address is at the organization's domain. */
    private record Customer(String realm, String username, String email, String domain) {
        static Customer fresh() {
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            return new Customer("newcomer-" + suffix, "ada-" + suffix, "ada@newcomer-" + suffix + ".test",
                    "newcomer-" + suffix + ".test");
        }
    }

    /** {@code POST /api/v1/organizations} and {@code POST …/domains}; returns the organization's ID. */
    private static String organizationWithDomain(TestGatehouse server, String accessToken, Customer customer) {
        TestGatehouse.Response organization = server.postJson("/api/v1/organizations", accessToken,
                Map.of("display_name", "Newcomer " + customer.realm()));
        assertThat(organization.status()).as("%s", organization).isEqualTo(201);
        String id = organization.json().path("organization").path("id").asText();
        TestGatehouse.Response domain = server.postJson("/api/v1/organizations/" + id + "/domains", accessToken,
                Map.of("domain", customer.domain()));
        assertThat(domain.status()).as("%s", domain).isEqualTo(201);
        return id;
    }

    /** {@code POST /api/v1/organizations/{id}/connections}; returns the connection's ID. */
    private static String connection(TestGatehouse server, String accessToken, String organizationId, String type) {
        TestGatehouse.Response created = server.postJson("/api/v1/organizations/" + organizationId + "/connections",
                accessToken, Map.of("type", type, "provider", "CUSTOM"));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.json().path("connection").path("id").asText();
    }

    private static void enable(String organizationId, String connectionId) {
        TestGatehouse.Response enabled = gatehouse.send("PATCH", "/api/v1/organizations/" + organizationId
                + "/connections/" + connectionId + ":enable", token, null, null);
        assertThat(enabled.status()).as("%s", enabled).isEqualTo(200);
        assertThat(enabled.json().path("enabled").asBoolean()).isTrue();
    }

    private record SamlSetup(Customer customer, String organizationId, String connectionId) {}

    /**
     * The SAML walk-through: organization, domain, connection, Keycloak's metadata URL pasted, Keycloak's client for
     * Gatehouse made from the connection's SP details (what the admin does in Keycloak's console), enable.
     */
    private static SamlSetup samlByMetadataUrl() {
        Customer customer = Customer.fresh();
        keycloakProcess.createRealmWithUser(customer.realm(), customer.username(), PASSWORD, customer.email());
        String organizationId = organizationWithDomain(gatehouse, token, customer);
        String connectionId = connection(gatehouse, token, organizationId, "SAML");
        String path = "/api/v1/organizations/" + organizationId + "/connections/" + connectionId;
        Map<String, Object> metadataUrl = Map.of("idp_metadata_url", samlIdp.descriptorUrl(customer.realm()));

        long mark = gatehouse.auditMark();
        TestGatehouse.Response plainHttp = gatehouse.patchJson(path, token, Map.of("saml_config", metadataUrl));
        assertInvalidArgument(plainHttp, "connection.saml_config.idp_metadata_url");
        assertThat(plainHttp.json().path("message").asText())
                .as("Keycloak in dev mode publishes http endpoints: debug_enabled is needed")
                .isEqualTo("the metadata's SingleSignOnService URL " + keycloakProcess.issuer(customer.realm())
                        + "/protocol/saml must use https (http only with debug_enabled)");
        assertThat(gatehouse.auditSince(mark, "management.update_connection")).singleElement()
                .satisfies(row -> assertThat(row.reasonCode()).contains("INVALID_ARGUMENT"));

        TestGatehouse.Response configured = gatehouse.patchJson(path, token, Map.of("debug_enabled", true,
                "saml_config", metadataUrl));
        assertThat(configured.status()).as("%s", configured).isEqualTo(200);
        JsonNode connection = configured.json().path("connection");
        assertThat(connection.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(connection.path("configuration_type").asText()).isEqualTo("DISCOVERY");
        JsonNode saml = connection.path("saml_config");
        assertThat(saml.path("idp_metadata_url").asText()).isEqualTo(samlIdp.descriptorUrl(customer.realm()));
        assertThat(saml.path("idp_entity_id").asText()).isEqualTo(keycloakProcess.issuer(customer.realm()));
        assertThat(saml.path("idp_sso_url").asText()).startsWith(keycloakProcess.issuer(customer.realm()) + "/protocol/saml");
        assertThat(saml.path("idp_certificates")).isNotEmpty();
        samlIdp.createSamlClient(customer.realm(), new SamlKeycloakIdp.SamlClient(saml.path("sp_entity_id").asText(),
                saml.path("sp_assertion_url").asText(), "gh-" + customer.realm(), false, false, ""));
        enable(organizationId, connectionId);
        return new SamlSetup(customer, organizationId, connectionId);
    }

    /** GETs redirects within Gatehouse and Keycloak (at most 10) until a page answers or the app is reached. */
    private static SamlBrowser.Answer follow(SamlBrowser browser, String from, SamlBrowser.Answer answer) {
        String base = from;
        for (int hops = 0; hops < 10 && answer.status() / 100 == 3; hops++) {
            String next = URI.create(base).resolve(answer.location().orElseThrow()).toString();
            if (!next.startsWith(keycloakProcess.baseUrl()) && !next.startsWith(gatehouse.baseUrl())) {
                return answer;
            }
            base = next;
            answer = browser.get(next);
        }
        return answer;
    }

    /** Keycloak's login page answered with the user's name and password: Keycloak's answer to the form. */
    private static SamlBrowser.Answer signInAtKeycloak(SamlBrowser browser, SamlBrowser.Answer loginPage, String username) {
        assertThat(loginPage.status()).as(loginPage.body()).isEqualTo(200);
        Matcher form = LOGIN_FORM_TAG.matcher(loginPage.body());
        assertThat(form.find()).as("Keycloak's login form in %s", loginPage.body()).isTrue();
        Matcher action = ACTION.matcher(form.group());
        assertThat(action.find()).as(form.group()).isTrue();
        return browser.post(SamlBrowser.unescape(action.group(1)),
                Map.of("username", username, "password", PASSWORD, "credentialId", ""));
    }

    /** The app's authorize request for this user, routed by the domain of {@code login_hint}; answer from Gatehouse. */
    private static SamlBrowser.Answer authorize(SamlBrowser browser, Customer customer, String state,
                                                HostedLoginBrowser.Pkce pkce) {
        return browser.get(gatehouse.baseUrl() + HostedLoginBrowser.authorizePath(Map.of("login_hint", customer.email(),
                "state", state, "code_challenge", pkce.challenge(), "code_challenge_method", "S256")));
    }

    /** A SAML sign-in from the app's authorize request to the redirect back to the app; returns that redirect. */
    private static String samlSignIn(Customer customer, String state, HostedLoginBrowser.Pkce pkce) {
        SamlBrowser browser = new SamlBrowser();
        SamlBrowser.Answer toIdp = authorize(browser, customer, state, pkce);
        assertThat(toIdp.status()).as(toIdp.body()).isIn(200, 302);
        SamlBrowser.Answer loginPage = toIdp.status() == 200
                ? browser.post(URI.create(gatehouse.baseUrl()).resolve(toIdp.formAction()).toString(), toIdp.formFields())
                : browser.get(toIdp.location().orElseThrow());
        assertThat(toIdp.status() == 200 ? toIdp.formAction() : toIdp.location().orElseThrow())
                .as("routed by the domain of login_hint to the realm").startsWith(keycloakProcess.issuer(customer.realm()));
        loginPage = follow(browser, keycloakProcess.baseUrl(), loginPage);
        SamlBrowser.Answer autoPost = follow(browser, keycloakProcess.baseUrl(),
                signInAtKeycloak(browser, loginPage, customer.username()));
        assertThat(autoPost.body()).as("Keycloak's auto-post to the ACS").contains("SAMLResponse");
        SamlBrowser.Answer callback = browser.post(URI.create(keycloakProcess.baseUrl()).resolve(autoPost.formAction())
                .toString(), autoPost.formFields());
        assertThat(callback.status()).as(callback.body()).isEqualTo(302);
        String app = callback.location().orElseThrow();
        assertThat(app).startsWith(HostedLoginBrowser.REDIRECT_URI + "?");
        return app;
    }

    /** The app's back end exchanges the code (client secret and PKCE verifier) for tokens. */
    private static JsonNode tokensAtTheApp(String appRedirect, String state, HostedLoginBrowser.Pkce pkce) {
        Map<String, String> returned = HostedLoginBrowser.query(appRedirect);
        assertThat(returned).as(appRedirect).containsEntry("state", state).containsKey("code").doesNotContainKey("error");
        TestGatehouse.Response tokens = gatehouse.postForm("/oauth/token", Map.of("grant_type", "authorization_code",
                "code", returned.get("code"), "redirect_uri", HostedLoginBrowser.REDIRECT_URI,
                "client_id", TestGatehouse.CLIENT_ID, "client_secret", TestGatehouse.CLIENT_SECRET,
                "code_verifier", pkce.verifier()), Map.of());
        assertThat(tokens.status()).as("%s", tokens).isEqualTo(200);
        assertThat(tokens.json().path("access_token").asText()).isNotBlank();
        return tokens.json();
    }

    private static double authorizeToIdpCount() {
        TestGatehouse.Response metrics = gatehouse.get("/metrics", null);
        assertThat(metrics.status()).isEqualTo(200);
        Matcher count = AUTHORIZE_TO_IDP_COUNT.matcher(metrics.body());
        assertThat(count.find()).as("the authorize timer in /metrics").isTrue();
        return Double.parseDouble(count.group(1));
    }

    @Test
    void samlConnectionFromKeycloaksMetadataUrlSignsInRoutedByDomainAndTheAppGetsTokens() {
        SamlSetup setup = samlByMetadataUrl();
        double routedBefore = authorizeToIdpCount();
        HostedLoginBrowser.Pkce pkce = HostedLoginBrowser.Pkce.create();
        JsonNode tokens = tokensAtTheApp(samlSignIn(setup.customer(), "saml-state", pkce), "saml-state", pkce);

        JsonNode id = SamlSignInTest.claims(tokens.path("id_token").asText());
        assertThat(id.path("email").asText()).isEqualTo(setup.customer().email());
        assertThat(id.path("given_name").asText()).isEqualTo("Ada");
        assertThat(id.path("oid").asText()).isEqualTo(setup.organizationId());
        assertThat(id.path("amr").get(0).asText()).isEqualTo(setup.connectionId());
        assertThat(SamlSignInTest.claims(tokens.path("access_token").asText()).path("oid").asText())
                .isEqualTo(setup.organizationId());
        assertThat(authorizeToIdpCount()).as("the routed authorize request timed as sent to the IdP")
                .isEqualTo(routedBefore + 1);
    }

    @Test
    void keycloakRotatesItsSigningKeyThenTheScheduledMetadataRefreshLetsSignInsThroughAgain() {
        SamlSetup setup = samlByMetadataUrl();
        String rotated = samlIdp.rotateSigningKey(setup.customer().realm());

        long mark = gatehouse.auditMark();
        HostedLoginBrowser.Pkce before = HostedLoginBrowser.Pkce.create();
        Map<String, String> refused = HostedLoginBrowser.query(samlSignIn(setup.customer(), "before-refresh", before));
        assertThat(refused).as("signed by a key Gatehouse does not know yet").containsEntry("state", "before-refresh")
                .containsEntry("error", "signature_validation_failed").doesNotContainKey("code");
        assertThat(gatehouse.auditSince(mark, "sso.saml.response.rejected")).singleElement()
                .satisfies(row -> assertThat(row.reason().orElseThrow()).contains("signature"));

        // An hour later for the refresher only: SAML times are then checked against Keycloak's (real) clock again.
        clock.advance(Duration.ofMinutes(61));
        try {
            assertThat(gatehouse.wiring.idpMetadataRefresher.runOnce()).as("refreshed connections").isPositive();
        } finally {
            clock.advance(Duration.ofMinutes(-61));
        }
        JsonNode certificates = gatehouse.get("/api/v1/organizations/" + setup.organizationId() + "/connections/"
                + setup.connectionId(), token).json().path("connection").path("saml_config").path("idp_certificates");
        assertThat(StreamSupport.stream(certificates.spliterator(), false)
                .map(c -> c.path("certificate").asText().replaceAll("-----[A-Z ]+-----|\\s", "")))
                .as("the rotated certificate, next to the previous one").contains(rotated).hasSizeGreaterThanOrEqualTo(2);

        HostedLoginBrowser.Pkce after = HostedLoginBrowser.Pkce.create();
        JsonNode tokens = tokensAtTheApp(samlSignIn(setup.customer(), "after-refresh", after), "after-refresh", after);
        assertThat(SamlSignInTest.claims(tokens.path("id_token").asText()).path("email").asText())
                .isEqualTo(setup.customer().email());
    }

    @Test
    void oidcConnectionFromKeycloaksDiscoveryUrlSignsInRoutedByDomainAndTheAppGetsTokens() {
        Customer customer = Customer.fresh();
        String organizationId = organizationWithDomain(gatehouse, token, customer);
        String connectionId = connection(gatehouse, token, organizationId, "OIDC");
        String path = "/api/v1/organizations/" + organizationId + "/connections/" + connectionId;
        String discovery = oidcIdp.issuer(customer.realm()) + "/.well-known/openid-configuration";
        TestGatehouse.Response configured = gatehouse.patchJson(path, token, Map.of("debug_enabled", true,
                "oidc_config", Map.of("discovery_endpoint", discovery, "client_id", "gatehouse",
                        "client_secret", "kc-newcomer-secret-0123", "token_auth_type", "URL_PARAMS",
                        "pkce_enabled", true)));
        assertThat(configured.status()).as("%s", configured).isEqualTo(200);
        JsonNode oidc = configured.json().path("connection").path("oidc_config");
        assertThat(oidc.path("discovery_endpoint").asText()).isEqualTo(discovery);
        assertThat(configured.json().path("connection").path("status").asText()).isEqualTo("COMPLETED");
        oidcIdp.createRealm(customer.realm(), "gatehouse", "kc-newcomer-secret-0123", oidc.path("redirect_uri").asText(),
                customer.username(), PASSWORD, customer.email());
        enable(organizationId, connectionId);

        SamlBrowser browser = new SamlBrowser();
        HostedLoginBrowser.Pkce pkce = HostedLoginBrowser.Pkce.create();
        SamlBrowser.Answer toIdp = authorize(browser, customer, "oidc-state", pkce);
        assertThat(toIdp.status()).as(toIdp.body()).isEqualTo(302);
        String authorization = toIdp.location().orElseThrow();
        assertThat(authorization).as("routed by the domain of login_hint")
                .startsWith(oidcIdp.issuer(customer.realm()) + "/protocol/openid-connect/auth?");
        assertThat(HostedLoginBrowser.query(authorization)).containsEntry("code_challenge_method", "S256")
                .containsKeys("nonce", "state");
        SamlBrowser.Answer callback = signInAtKeycloak(browser, browser.get(authorization), customer.username());
        assertThat(callback.location().orElseThrow()).startsWith(oidc.path("redirect_uri").asText() + "?");
        SamlBrowser.Answer app = browser.get(callback.location().get());
        assertThat(app.status()).as(app.body()).isEqualTo(302);

        JsonNode tokens = tokensAtTheApp(app.location().orElseThrow(), "oidc-state", pkce);
        JsonNode id = SamlSignInTest.claims(tokens.path("id_token").asText());
        assertThat(id.path("email").asText()).isEqualTo(customer.email());
        assertThat(id.path("oid").asText()).isEqualTo(organizationId);
        assertThat(id.path("amr").get(0).asText()).isEqualTo(connectionId);
    }

    @Test
    void withoutTheDevSettingKeycloaksLoopbackUrlsAreRefusedAndAudited() {
        Customer customer = Customer.fresh();
        keycloakProcess.createRealmWithUser(customer.realm(), customer.username(), PASSWORD, customer.email());
        try (TestGatehouse strict = TestGatehouse.start()) {
            String strictToken = strict.accessToken();
            strict.registerRedirectUris(List.of(HostedLoginBrowser.REDIRECT_URI));
            String organizationId = organizationWithDomain(strict, strictToken, customer);

            String samlId = connection(strict, strictToken, organizationId, "SAML");
            String samlPath = "/api/v1/organizations/" + organizationId + "/connections/" + samlId;
            long mark = strict.auditMark();
            TestGatehouse.Response refused = strict.patchJson(samlPath, strictToken, Map.of("debug_enabled", true,
                    "saml_config", Map.of("idp_metadata_url", samlIdp.descriptorUrl(customer.realm()))));
            assertInvalidArgument(refused, "connection.saml_config.idp_metadata_url");
            assertThat(refused.body()).contains("invalid_saml_metadata: the metadata URL is not allowed: "
                    + "url resolves to a private, loopback or link-local address");
            assertThat(strict.auditSince(mark, "management.update_connection")).singleElement().satisfies(row -> {
                assertThat(row.outcome()).isEqualTo("FAILURE");
                assertThat(row.reasonCode()).contains("INVALID_ARGUMENT");
                assertThat(row.attributes()).contains(samlId);
            });
            JsonNode unchanged = strict.get(samlPath, strictToken).json().path("connection");
            assertThat(unchanged.path("status").asText()).isEqualTo("DRAFT");
            assertThat(unchanged.path("saml_config").path("idp_metadata_url").asText()).isEmpty();

            String oidcId = connection(strict, strictToken, organizationId, "OIDC");
            String oidcPath = "/api/v1/organizations/" + organizationId + "/connections/" + oidcId;
            TestGatehouse.Response configured = strict.patchJson(oidcPath, strictToken, Map.of("debug_enabled", true,
                    "oidc_config", Map.of("discovery_endpoint", oidcIdp.issuer(customer.realm())
                            + "/.well-known/openid-configuration", "client_id", "gatehouse", "client_secret", "secret-0123456789")));
            assertThat(configured.status()).as("%s", configured).isEqualTo(200);
            assertThat(strict.send("PATCH", oidcPath + ":enable", strictToken, null, null).status()).isEqualTo(200);

            long before = strict.auditMark();
            SamlBrowser browser = new SamlBrowser();
            SamlBrowser.Answer answer = browser.get(strict.baseUrl() + HostedLoginBrowser.authorizePath(Map.of(
                    "login_hint", customer.email(), "state", "strict-state")));
            assertThat(answer.status()).as(answer.body()).isEqualTo(302);
            Map<String, String> back = HostedLoginBrowser.query(answer.location().orElseThrow());
            assertThat(answer.location().get()).startsWith(HostedLoginBrowser.REDIRECT_URI + "?");
            assertThat(back).as("the discovery URL is never fetched").containsEntry("error", "connection_not_active")
                    .containsEntry("state", "strict-state").doesNotContainKey("code");
            assertThat(strict.auditSince(before, "login.federation.rejected")).singleElement()
                    .satisfies(row -> assertThat(row.reason().orElseThrow())
                            .contains("discovery URL refused: url resolves to a private, loopback or link-local address"));
        }
    }
}
