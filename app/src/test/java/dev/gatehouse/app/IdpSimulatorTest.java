package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.connection.ConnectionProvider;
import dev.gatehouse.core.connection.ConnectionType;
import dev.gatehouse.core.connection.NewConnection;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.environment.EnvironmentType;
import dev.gatehouse.core.organization.NewOrganization;
import dev.gatehouse.core.organization.RegionCode;
import dev.gatehouse.core.shared.PageRequest;
import dev.gatehouse.core.simulator.IdpSimulator;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The test organization and the built-in IdP simulator end to end over HTTP (docs/DECISIONS.md D-SIM1…D-SIM6):
 * authorize by organization, connection and email domain, the simulator's page, tokens at the app, the error
 * scenario, the IdP-initiated scenario (signed token at the default redirect URI, then the SP-initiated login the app
 * starts with it), and the refusals (other browser, bad CSRF, addresses outside the test domains, other environments,
 * production, no default redirect URI), each audited.
 */
class IdpSimulatorTest {
    private static final String DEFAULT_REDIRECT = "http://localhost:3000/idp-initiated";
    private static TestGatehouse gatehouse;
    private static String token;
    private static String testOrganization;
    private static String simulatorConnection;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start(Map.of("GATEHOUSE_TEST_ORGANIZATION", "true"));
        token = gatehouse.accessToken();
        var registered = gatehouse.patchJson("/api/v1/clients/" + TestGatehouse.CLIENT_ID, token, Map.of(
                "redirect_uris", List.of(HostedLoginBrowser.REDIRECT_URI, DEFAULT_REDIRECT),
                "default_redirect_uri", DEFAULT_REDIRECT));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(200);
        JsonNode connections = gatehouse.get("/api/v1/connections?domain=example.com", token).json().path("connections");
        assertThat(connections).hasSize(1);
        simulatorConnection = connections.get(0).path("id").asText();
        testOrganization = connections.get(0).path("organization_id").asText();
    }

    @AfterAll
    static void stop() {
        gatehouse.close();
    }

    @Test
    void theDevelopmentEnvironmentHasATestOrganizationWithAnEnabledSimulatorConnectionOnce() {
        JsonNode organization = gatehouse.get("/api/v1/organizations/" + testOrganization, token).json().path("organization");
        assertThat(organization.path("display_name").asText()).isEqualTo("Test Organization");
        JsonNode connection = gatehouse.get("/api/v1/organizations/" + testOrganization + "/connections/"
                + simulatorConnection, token).json().path("connection");
        assertThat(connection.path("provider").asText()).isEqualTo("IDP_SIMULATOR");
        assertThat(connection.path("type").asText()).isEqualTo("OIDC");
        assertThat(connection.path("enabled").asBoolean()).isTrue();
        assertThat(connection.path("status").asText()).isEqualTo("COMPLETED");
        JsonNode domains = gatehouse.get("/api/v1/organizations/" + testOrganization + "/domains", token).json().path("domains");
        assertThat(domains).extracting(d -> d.path("domain").asText()).containsExactly("example.com", "example.org");

        Environment restarted = Bootstrap.run(gatehouse.wiring);
        assertThat(gatehouse.wiring.testOrganizations.ensure(restarted)).map(Connection::id).contains(simulatorConnection);
        assertThat(gatehouse.wiring.organizations.list(gatehouse.environmentId(), PageRequest.first(100), Optional.empty())
                .items()).filteredOn(o -> o.displayName().equals("Test Organization")).hasSize(1);
    }

    @Test
    void anAuthorizeWithTheTestOrganizationSignsInThroughTheSimulatorAndTheAppGetsTokens() {
        HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
        JsonNode id = signIn(browser, Map.of("organization_id", testOrganization), "ada@example.com");

        assertThat(id.get("oid").asText()).isEqualTo(testOrganization);
        assertThat(id.get("amr")).extracting(JsonNode::asText).containsExactly(simulatorConnection);
        assertThat(id.get("email").asText()).isEqualTo("ada@example.com");
        assertThat(id.get("given_name").asText()).isEqualTo("Ada");
        assertThat(id.get("family_name").asText()).isEqualTo("Lovelace");
    }

    @Test
    void anAuthorizeWithTheSimulatorConnectionIdSignsIn() {
        JsonNode id = signIn(new HostedLoginBrowser(gatehouse), Map.of("connection_id", simulatorConnection),
                "grace@example.org");
        assertThat(id.get("oid").asText()).isEqualTo(testOrganization);
        assertThat(id.get("amr")).extracting(JsonNode::asText).containsExactly(simulatorConnection);
    }

    @Test
    void anAddressAtATestDomainOnTheEmailFirstPageGoesToTheSimulator() {
        HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
        var login = browser.open(HostedLoginBrowser.authorizePath(Map.of()));
        assertThat(login.status()).isEqualTo(200);
        var toSimulator = browser.submitEmail("hint@example.com");
        assertThat(toSimulator.status()).isEqualTo(302);
        assertThat(toSimulator.location().orElseThrow()).startsWith(gatehouse.baseUrl() + "/sso/simulator/" + simulatorConnection + "?login=lgn_");

        JsonNode id = completeAtSimulator(browser, toSimulator.location().orElseThrow(), "hint@example.com");
        assertThat(id.get("oid").asText()).isEqualTo(testOrganization);
        assertThat(id.get("amr")).extracting(JsonNode::asText).containsExactly(simulatorConnection);

        HostedLoginBrowser hinted = new HostedLoginBrowser(gatehouse);
        var direct = hinted.open(HostedLoginBrowser.authorizePath(Map.of("login_hint", "someone@example.org")));
        assertThat(direct.location().orElseThrow()).as("a login_hint at a test domain goes straight to the simulator")
                .startsWith(gatehouse.baseUrl() + "/sso/simulator/" + simulatorConnection);
    }

    @Test
    void theErrorScenarioSendsTheChosenCodeToTheAppAndIsAudited() {
        HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
        String simulator = toSimulator(browser, Map.of("organization_id", testOrganization));
        long mark = gatehouse.auditMark();

        var callback = browser.postTo(simulator, Map.of("login", loginOf(simulator), "scenario", "error",
                "error_code", "invalid_id_token"));

        assertThat(callback.status()).isEqualTo(302);
        assertThat(callback.location().orElseThrow()).startsWith(HostedLoginBrowser.REDIRECT_URI + "?");
        assertThat(HostedLoginBrowser.query(callback.location().orElseThrow()))
                .containsEntry("error", "invalid_id_token").containsEntry("state", "state-1").doesNotContainKey("code");
        assertThat(gatehouse.auditSince(mark, "login.federation.rejected"))
                .anySatisfy(row -> assertThat(row.reason()).hasValueSatisfying(r -> assertThat(r).startsWith("invalid_id_token")));
    }

    @Test
    void theSimulatorSignsInOnlyAddressesOfTheTestDomainsAndRefusesUnknownErrors() {
        HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
        String simulator = toSimulator(browser, Map.of("organization_id", testOrganization));
        String login = loginOf(simulator);

        var outside = browser.postTo(simulator, Map.of("login", login, "scenario", "sign_in",
                "email", "ceo@real-company.com", "given_name", "Eve", "family_name", "Mallory"));
        assertThat(outside.status()).isEqualTo(400);
        assertThat(outside.html()).contains("example.com or example.org only");
        assertThat(gatehouse.wiring.users.findByEmail(gatehouse.environmentId(), "ceo@real-company.com")).isEmpty();

        var unknownError = browser.postTo(simulator, Map.of("login", login, "scenario", "error", "error_code", "made_up"));
        assertThat(unknownError.status()).isEqualTo(400);
        assertThat(unknownError.html()).contains("Choose one of the listed errors");

        var callback = browser.postTo(simulator, Map.of("login", login, "scenario", "sign_in",
                "email", "after-mistakes@example.com", "given_name", "Ada", "family_name", "Lovelace"));
        assertThat(HostedLoginBrowser.query(callback.location().orElseThrow())).containsKey("code");
    }

    @Test
    void anotherBrowserOrABadCsrfTokenIsRefusedAndAudited() {
        HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
        String simulator = toSimulator(browser, Map.of("organization_id", testOrganization));
        long mark = gatehouse.auditMark();

        HostedLoginBrowser other = new HostedLoginBrowser(gatehouse);
        var elsewhere = other.open(simulator);
        assertThat(elsewhere.status()).isEqualTo(400);
        assertThat(elsewhere.html()).doesNotContain("name=\"csrf\"");

        var forged = gatehouse.send("POST", URI.create(simulator), Map.of("content-type", "application/x-www-form-urlencoded",
                "cookie", cookieOf(browser)), HttpRequest.BodyPublishers.ofString(HostedLoginBrowser.form(Map.of(
                "csrf", "0".repeat(64), "login", loginOf(simulator), "scenario", "sign_in", "email", "forged@example.com",
                "given_name", "F", "family_name", "G"))));
        assertThat(forged.status()).isEqualTo(400);
        assertThat(gatehouse.wiring.users.findByEmail(gatehouse.environmentId(), "forged@example.com")).isEmpty();

        assertThat(gatehouse.auditSince(mark, IdpSimulator.REJECTED)).extracting(row -> row.reason().orElse(""))
                .anySatisfy(r -> assertThat(r).contains("another browser"))
                .anySatisfy(r -> assertThat(r).contains("CSRF"));
    }

    @Test
    void aNonSimulatorConnectionHasNoSimulatorPage() {
        String organization = gatehouse.wiring.organizations.create(gatehouse.environmentId(), new NewOrganization(
                "Real IdP Org", RegionCode.UNSPECIFIED, Optional.empty(), Map.of(), Optional.empty(), Optional.empty())).id();
        Connection okta = gatehouse.wiring.connections.create(gatehouse.environmentId(), organization,
                new NewConnection(ConnectionType.SAML, ConnectionProvider.OKTA));
        long mark = gatehouse.auditMark();

        var page = new HostedLoginBrowser(gatehouse).open("/sso/simulator/" + okta.id() + "?login=lgn_x");

        assertThat(page.status()).isEqualTo(404);
        assertThat(gatehouse.auditSince(mark, IdpSimulator.REJECTED))
                .anySatisfy(row -> assertThat(row.reason()).contains("not an IdP simulator connection"));
    }

    @Test
    void anotherEnvironmentCannotUseThisEnvironmentsSimulator() {
        var environmentB = gatehouse.createEnvironment("environment-b", "http://localhost:" + gatehouse.port());
        Connection simulatorB = gatehouse.wiring.testOrganizations.ensure(environmentB.environment()).orElseThrow();
        assertThat(simulatorB.id()).isNotEqualTo(simulatorConnection);
        assertThat(simulatorB.environmentId()).isEqualTo(environmentB.id());
        long mark = gatehouse.auditMark();

        var crossed = gatehouse.send("GET", URI.create("http://localhost:" + gatehouse.port() + "/sso/simulator/"
                + simulatorConnection + "?login=lgn_x"), Map.of(), HttpRequest.BodyPublishers.noBody());

        assertThat(crossed.status()).isEqualTo(404);
        assertThat(gatehouse.auditSince(mark, IdpSimulator.REJECTED)).anySatisfy(row -> {
            assertThat(row.environmentId()).contains(environmentB.id());
            assertThat(row.reason()).contains("no such connection in this environment");
        });
        assertThat(gatehouse.wiring.identityProviders.connectionForEmail(environmentB.id(), "x@example.com"))
                .as("environment B's test domains route to its own simulator").contains(simulatorB.id());
    }

    @Test
    void aProductionEnvironmentGetsNoTestOrganizationAndItsSimulatorConnectionsAreRefused() {
        var created = gatehouse.wiring.environments.create("production", "https://prod-" + System.nanoTime()
                + ".gatehouse.invalid", EnvironmentType.PRODUCTION, Optional.empty(), Optional.empty());
        gatehouse.wiring.environmentDirectory.invalidate();
        Environment production = created.environment();

        assertThat(gatehouse.wiring.testOrganizations.ensure(production)).isEmpty();
        assertThat(gatehouse.wiring.organizations.list(production.id(), PageRequest.first(10), Optional.empty()).items()).isEmpty();

        // Even a simulator connection made by hand is refused by the starter and by the page.
        String organization = gatehouse.wiring.organizations.create(production.id(), new NewOrganization("Prod Org",
                RegionCode.UNSPECIFIED, Optional.empty(), Map.of(), Optional.empty(), Optional.empty())).id();
        Connection connection = gatehouse.wiring.connections.create(production.id(), organization,
                new NewConnection(ConnectionType.OIDC, ConnectionProvider.IDP_SIMULATOR));
        gatehouse.wiring.connections.setEnabled(production.id(), Optional.of(organization), connection.id(), true);
        long mark = gatehouse.auditMark();

        assertThat(gatehouse.wiring.idpSimulator.connection(production, connection.id(), "127.0.0.1")).isEmpty();
        assertThat(gatehouse.auditSince(mark, IdpSimulator.REJECTED))
                .anySatisfy(row -> assertThat(row.reason()).hasValueSatisfying(r -> assertThat(r).contains("production")));
        var start = gatehouse.wiring.idpSimulator.start(production.id(), connection.id(), null);
        assertThat(start).isInstanceOfSatisfying(dev.gatehouse.core.login.IdentityProviderRedirect.Unavailable.class,
                unavailable -> assertThat(unavailable.errorCode()).isEqualTo("connection_not_active"));
    }

    @Test
    void theIdpInitiatedScenarioSendsASignedTokenToTheDefaultRedirectUriAndTheLoginTheAppStartsWithItCompletes()
            throws Exception {
        HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
        String simulator = "/sso/simulator/" + simulatorConnection;
        var page = browser.open(simulator);
        assertThat(page.status()).as("reachable without a login started by the app").isEqualTo(200);
        assertThat(page.html()).contains("IdP initiated SSO").doesNotContain("id=\"simulator-sign-in\"")
                .doesNotContain("id=\"simulator-error-submit\"");
        long mark = gatehouse.auditMark();

        var handOff = browser.postTo(simulator, Map.of("scenario", "idp_initiated", "email", "Idp.Ada@Example.com",
                "given_name", "Ada", "family_name", "Lovelace", "relay_state", "app-state-9"));

        assertThat(handOff.status()).as(handOff.html()).isEqualTo(302);
        String location = handOff.location().orElseThrow();
        assertThat(location).startsWith(DEFAULT_REDIRECT + "?idp_initiated_login=");
        assertThat(HostedLoginBrowser.query(location)).doesNotContainKey("code");
        String jwt = HostedLoginBrowser.query(location).get("idp_initiated_login");
        JWTClaimsSet claims = verifiedAgainstKeys(jwt);
        assertThat(claims.getStringClaim("connection_id")).isEqualTo(simulatorConnection);
        assertThat(claims.getStringClaim("organization_id")).isEqualTo(testOrganization);
        assertThat(claims.getStringClaim("login_hint")).isEqualTo("idp.ada@example.com");
        assertThat(claims.getStringClaim("relay_state")).isEqualTo("app-state-9");
        assertThat(claims.getIssuer()).isEqualTo(gatehouse.baseUrl());
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(300_000);
        assertThat(gatehouse.wiring.users.findByEmail(gatehouse.environmentId(), "idp.ada@example.com"))
                .as("the hand-off signs nobody in").isEmpty();
        assertThat(gatehouse.auditSince(mark, IdpSimulator.IDP_INITIATED)).singleElement().satisfies(row -> {
            assertThat(row.outcome()).isEqualTo("SUCCESS");
            assertThat(row.attributes()).contains(simulatorConnection).contains("idp.ada@example.com");
        });
        // The official SDK's getIdpInitiatedLoginClaims accepts the token and refuses forged variants.
        String output = OidcNodeScripts.runAndPass(gatehouse, "idp-initiated.mjs", Map.of("IDP_INITIATED_LOGIN", jwt,
                "EXPECT_CONNECTION_ID", simulatorConnection, "EXPECT_ORGANIZATION_ID", testOrganization,
                "EXPECT_LOGIN_HINT", "idp.ada@example.com", "EXPECT_RELAY_STATE", "app-state-9"));
        assertThat(OidcNodeScripts.checks(output)).isEqualTo(3);

        // The app turns it into an SP-initiated login; the simulated IdP, having signed the user in, completes it.
        var toSimulator = browser.open(HostedLoginBrowser.authorizePath(Map.of("connection_id",
                claims.getStringClaim("connection_id"), "login_hint", claims.getStringClaim("login_hint"),
                "state", claims.getStringClaim("relay_state"))));
        assertThat(toSimulator.location().orElseThrow()).startsWith(gatehouse.baseUrl() + simulator + "?login=lgn_");
        var callback = browser.open(toSimulator.location().orElseThrow());
        assertThat(callback.status()).as(callback.html()).isEqualTo(302);
        Map<String, String> returned = HostedLoginBrowser.query(callback.location().orElseThrow());
        assertThat(callback.location().orElseThrow()).startsWith(HostedLoginBrowser.REDIRECT_URI + "?");
        assertThat(returned).containsEntry("state", "app-state-9").containsKey("code");
        JsonNode id = exchange(returned.get("code"));
        assertThat(id.get("email").asText()).isEqualTo("idp.ada@example.com");
        assertThat(id.get("given_name").asText()).isEqualTo("Ada");
        assertThat(id.get("oid").asText()).isEqualTo(testOrganization);
        assertThat(id.get("amr")).extracting(JsonNode::asText).containsExactly(simulatorConnection);

        // The simulated IdP session is used up: the next login shows the page, the address pre-filled.
        var again = browser.open(HostedLoginBrowser.authorizePath(Map.of("connection_id", simulatorConnection,
                "login_hint", "idp.ada@example.com")));
        var shown = browser.open(again.location().orElseThrow());
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.html()).contains("value=\"idp.ada@example.com\"");
    }

    @Test
    void theIdpInitiatedScenarioOfALoginWaitingAtTheSimulatorLeavesItAndSendsTheTokenInstead() throws Exception {
        HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
        String simulator = toSimulator(browser, Map.of("organization_id", testOrganization));
        assertThat(browser.page.html()).contains("id=\"simulator-idp-initiated\"");

        var handOff = browser.postTo(simulator, Map.of("login", loginOf(simulator), "scenario", "idp_initiated",
                "email", "grace.idp@example.org", "given_name", "Grace", "family_name", "Hopper"));

        assertThat(handOff.location().orElseThrow()).startsWith(DEFAULT_REDIRECT + "?idp_initiated_login=");
        JWTClaimsSet claims = verifiedAgainstKeys(HostedLoginBrowser.query(handOff.location().get()).get("idp_initiated_login"));
        assertThat(claims.getStringClaim("login_hint")).isEqualTo("grace.idp@example.org");
        assertThat(claims.getClaim("relay_state")).as("no RelayState typed, none sent").isNull();
    }

    @Test
    void theIdpInitiatedScenarioRefusesWhatTheFormWouldRefuseAndIsAudited() {
        HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
        String simulator = "/sso/simulator/" + simulatorConnection;
        browser.open(simulator);
        String csrf = browser.page.csrf();
        long mark = gatehouse.auditMark();

        var outside = browser.postTo(simulator, Map.of("scenario", "idp_initiated", "email", "ceo@real-company.com",
                "given_name", "Eve", "family_name", "Mallory"));
        assertThat(outside.status()).isEqualTo(400);
        assertThat(outside.html()).contains("example.com or example.org only");
        var longRelay = browser.postTo(simulator, Map.of("scenario", "idp_initiated", "email", "x@example.com",
                "given_name", "X", "family_name", "Y", "relay_state", "r".repeat(IdpSimulator.MAX_RELAY_STATE + 1)));
        assertThat(longRelay.status()).isEqualTo(400);
        assertThat(longRelay.html()).contains("RelayState");
        var signInWithoutLogin = browser.postTo(simulator, Map.of("scenario", "sign_in", "email", "x@example.com",
                "given_name", "X", "family_name", "Y"));
        assertThat(signInWithoutLogin.status()).isEqualTo(400);
        assertThat(signInWithoutLogin.html()).contains("Only an IdP-initiated login can start here");

        var forged = gatehouse.send("POST", URI.create(gatehouse.baseUrl() + simulator), Map.of("content-type",
                "application/x-www-form-urlencoded", "cookie", cookieOf(browser)), HttpRequest.BodyPublishers.ofString(
                HostedLoginBrowser.form(Map.of("csrf", "0".repeat(64), "scenario", "idp_initiated",
                        "email", "forged@example.com", "given_name", "F", "family_name", "G"))));
        assertThat(forged.status()).isEqualTo(400);
        var cookieless = gatehouse.send("POST", URI.create(gatehouse.baseUrl() + simulator), Map.of("content-type",
                "application/x-www-form-urlencoded"), HttpRequest.BodyPublishers.ofString(HostedLoginBrowser.form(Map.of(
                "csrf", csrf, "scenario", "idp_initiated", "email", "nocookie@example.com", "given_name", "F",
                "family_name", "G"))));
        assertThat(cookieless.status()).isEqualTo(400);

        assertThat(gatehouse.auditSince(mark, IdpSimulator.IDP_INITIATED)).isEmpty();
        assertThat(gatehouse.auditSince(mark, IdpSimulator.REJECTED)).extracting(row -> row.reason().orElse(""))
                .anySatisfy(r -> assertThat(r).contains("CSRF"))
                .anySatisfy(r -> assertThat(r).contains("without the browser cookie"));
    }

    @Test
    void withoutADefaultRedirectUriTheIdpInitiatedScenarioIsRefusedAndAudited() {
        assertThat(gatehouse.patchJson("/api/v1/clients/" + TestGatehouse.CLIENT_ID, token,
                Map.of("default_redirect_uri", "")).status()).isEqualTo(200);
        try {
            HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
            String simulator = "/sso/simulator/" + simulatorConnection;
            browser.open(simulator);
            long mark = gatehouse.auditMark();

            var refused = browser.postTo(simulator, Map.of("scenario", "idp_initiated", "email", "x@example.com",
                    "given_name", "X", "family_name", "Y"));

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.location()).isEmpty();
            assertThat(refused.html()).contains("no default redirect URI");
            assertThat(gatehouse.auditSince(mark, IdpSimulator.REJECTED))
                    .anySatisfy(row -> assertThat(row.reason()).hasValueSatisfying(r -> assertThat(r)
                            .contains("no client of the environment has a default redirect URI")));
            assertThat(gatehouse.auditSince(mark, IdpSimulator.IDP_INITIATED)).isEmpty();
        } finally {
            assertThat(gatehouse.patchJson("/api/v1/clients/" + TestGatehouse.CLIENT_ID, token,
                    Map.of("default_redirect_uri", DEFAULT_REDIRECT)).status()).isEqualTo(200);
        }
    }

    @Test
    void aSimulatedIdpSessionCookieEditedByHandCanDoNoMoreThanTheForm() {
        HostedLoginBrowser browser = new HostedLoginBrowser(gatehouse);
        var redirect = browser.open(HostedLoginBrowser.authorizePath(Map.of("connection_id", simulatorConnection,
                "login_hint", "ceo@real-company.com")));
        String simulator = redirect.location().orElseThrow();
        String forged = part("ceo@real-company.com") + "." + part("Eve") + "." + part("Mallory") + "."
                + (System.currentTimeMillis() / 1000 + 300);

        var page = gatehouse.send("GET", URI.create(simulator), Map.of("cookie", cookieOf(browser)
                + "; gatehouse_simulator=" + forged), HttpRequest.BodyPublishers.noBody());

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("example.com or example.org only");
        assertThat(gatehouse.wiring.users.findByEmail(gatehouse.environmentId(), "ceo@real-company.com")).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    /** Authorize with {@code selectors}: the browser lands on the simulator; returns its URL. */
    private static String toSimulator(HostedLoginBrowser browser, Map<String, String> selectors) {
        var redirect = browser.open(HostedLoginBrowser.authorizePath(selectors));
        assertThat(redirect.status()).as(redirect.html()).isEqualTo(302);
        String location = redirect.location().orElseThrow();
        assertThat(location).startsWith(gatehouse.baseUrl() + "/sso/simulator/" + simulatorConnection + "?login=lgn_");
        var page = browser.open(location);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.html()).contains("IdP Simulator").contains("invalid_id_token");
        return location;
    }

    private static JsonNode signIn(HostedLoginBrowser browser, Map<String, String> selectors, String email) {
        return completeAtSimulator(browser, toSimulator(browser, selectors), email);
    }

    private static JsonNode completeAtSimulator(HostedLoginBrowser browser, String simulator, String email) {
        if (!browser.page.html().contains("IdP Simulator")) {
            browser.open(simulator);
        }
        var callback = browser.postTo(simulator, Map.of("login", loginOf(simulator), "scenario", "sign_in",
                "email", email, "given_name", "Ada", "family_name", "Lovelace"));
        assertThat(callback.status()).as(callback.html()).isEqualTo(302);
        Map<String, String> returned = HostedLoginBrowser.query(callback.location().orElseThrow());
        assertThat(callback.location().orElseThrow()).startsWith(HostedLoginBrowser.REDIRECT_URI + "?");
        assertThat(returned).containsEntry("state", "state-1").containsKey("code");
        return exchange(returned.get("code"));
    }

    /** The code exchanged by the app; returns the ID token's claims. */
    private static JsonNode exchange(String code) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", HostedLoginBrowser.REDIRECT_URI);
        form.put("client_id", TestGatehouse.CLIENT_ID);
        form.put("client_secret", TestGatehouse.CLIENT_SECRET);
        var tokens = gatehouse.postForm("/oauth/token", form, Map.of());
        assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
        JsonNode access = claims(tokens.json().get("access_token").asText());
        JsonNode id = claims(tokens.json().get("id_token").asText());
        assertThat(access.get("oid").asText()).isEqualTo(id.get("oid").asText());
        return id;
    }

    /** The JWT's claims after checking its RS256 signature with the key {@code /keys} publishes for its kid. */
    private static JWTClaimsSet verifiedAgainstKeys(String jwt) throws Exception {
        SignedJWT signed = SignedJWT.parse(jwt);
        var keys = gatehouse.send("GET", URI.create(gatehouse.baseUrl() + "/keys"), Map.of(),
                HttpRequest.BodyPublishers.noBody());
        assertThat(keys.status()).isEqualTo(200);
        RSAKey key = (RSAKey) JWKSet.parse(keys.body()).getKeyByKeyId(signed.getHeader().getKeyID());
        assertThat(key).as("the token's kid is published at /keys").isNotNull();
        assertThat(signed.verify(new RSASSAVerifier(key))).isTrue();
        return signed.getJWTClaimsSet();
    }

    private static String part(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String loginOf(String simulatorUrl) {
        return HostedLoginBrowser.query(simulatorUrl).get("login");
    }

    private static String cookieOf(HostedLoginBrowser browser) {
        return browser.cookies.getCookieStore().getCookies().stream()
                .map(c -> c.getName() + "=" + c.getValue()).reduce((a, b) -> a + "; " + b).orElse("");
    }

    private static JsonNode claims(String jwt) {
        try {
            return TestGatehouse.JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
