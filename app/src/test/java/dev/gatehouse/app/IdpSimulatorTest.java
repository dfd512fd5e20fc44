package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The test organization and the built-in IdP simulator end to end over HTTP (docs/DECISIONS.md D-SIM1…D-SIM5):
 * authorize by organization, connection and email domain, the simulator's page, tokens at the app, the error
 * scenario, and the refusals (other browser, bad CSRF, addresses outside the test domains, other environments,
 * production), each audited.
 */
class IdpSimulatorTest {
    private static TestGatehouse gatehouse;
    private static String token;
    private static String testOrganization;
    private static String simulatorConnection;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start(Map.of("GATEHOUSE_TEST_ORGANIZATION", "true"));
        token = gatehouse.accessToken();
        var registered = gatehouse.patchJson("/api/v1/clients/" + TestGatehouse.CLIENT_ID, token, Map.of(
                "redirect_uris", List.of(HostedLoginBrowser.REDIRECT_URI)));
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
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", returned.get("code"));
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
