package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.saml.testing.TestIdp;
import dev.gatehouse.saml.testing.TestKeys;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The self-serve admin portal driven over HTTP like a browser without JavaScript (docs/DECISIONS.md D-AP2…D-AP5):
 * open a link, configure a SAML connection from its IdP's metadata document and see it in the API, test it through
 * the in-process test IdP (no user made), enable it, add a domain, set up a SCIM directory with its bearer token; the
 * frame and cookie headers; the events; and the refusals (wrong key, bad CSRF token, another organization's
 * connection, no session, a revoked or expired link, another environment's host, a feature the link lacks), each a
 * 4xx page with an audit record. The server runs on a clock the test can move forward.
 */
class AdminPortalTest {
    private static final String IDP_SSO_URL = "https://idp.example.test/sso";
    private static final String APP_ORIGIN = "https://app.example.test";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final ShiftingClock clock = new ShiftingClock();
    private static TestGatehouse gatehouse;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start(Map.of(), clock);
        gatehouse.registerRedirectUris(List.of(HostedLoginBrowser.REDIRECT_URI, APP_ORIGIN + "/settings/sso"));
    }

    @AfterAll
    static void stop() {
        gatehouse.close();
    }

    /** A browser: cookie jar, no automatic redirects, the last page's CSRF token. */
    private static final class Browser {
        final CookieManager cookies = new CookieManager();
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        String csrf = "";

        HttpResponse<String> get(String pathOrUrl) {
            return remember(send(HttpRequest.newBuilder(uri(pathOrUrl)).GET()));
        }

        /** GET, following redirects within Gatehouse. */
        HttpResponse<String> open(String pathOrUrl) {
            HttpResponse<String> answer = get(pathOrUrl);
            while (answer.statusCode() == 303 || answer.statusCode() == 302 && location(answer).startsWith(gatehouse.baseUrl())) {
                answer = get(location(answer));
            }
            return answer;
        }

        HttpResponse<String> post(String path, Map<String, String> fields) {
            Map<String, String> all = new LinkedHashMap<>();
            all.put("csrf", csrf);
            all.putAll(fields);
            return remember(send(HttpRequest.newBuilder(uri(path)).header("content-type",
                    "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(HostedLoginBrowser.form(all)))));
        }

        /** POST, then follow the Post/Redirect/Get redirect. */
        HttpResponse<String> submit(String path, Map<String, String> fields) {
            HttpResponse<String> answer = post(path, fields);
            return answer.statusCode() == 303 ? open(location(answer)) : answer;
        }

        private HttpResponse<String> remember(HttpResponse<String> answer) {
            Matcher m = CSRF.matcher(answer.body());
            if (m.find()) {
                csrf = m.group(1);
            }
            return answer;
        }

        private static URI uri(String pathOrUrl) {
            return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : gatehouse.baseUrl() + pathOrUrl);
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            try {
                return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String location(HttpResponse<String> answer) {
        return answer.headers().firstValue("location").orElseThrow(() -> new AssertionError(
                "no location (" + answer.statusCode() + "):\n" + answer.body()));
    }

    private static String organization() {
        return gatehouse.seedOrganization(gatehouse.environmentId(), "Acme " + UUID.randomUUID().toString().substring(0, 8),
                null).id();
    }

    /** A new link of {@code organizationId}: {id, location}. */
    private static String[] link(String organizationId, String query) {
        TestGatehouse.Response generated = gatehouse.send("PUT", "/api/v1/organizations/" + organizationId
                + "/portal_links" + query, gatehouse.accessToken(), null, null);
        assertThat(generated.status()).as(generated.toString()).isEqualTo(200);
        JsonNode link = generated.json().path("link");
        return new String[] {link.path("id").asText(), link.path("location").asText()};
    }

    private static String metadata(String entityId) {
        return "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"" + entityId + "\">"
                + "<md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">"
                + "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">"
                + "<ds:X509Data><ds:X509Certificate>" + TestKeys.IDP.certificateBase64()
                + "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
                + "<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\""
                + IDP_SSO_URL + "\"/></md:IDPSSODescriptor></md:EntityDescriptor>";
    }

    private static String pathOf(String url) {
        return url.substring(gatehouse.baseUrl().length());
    }

    private static long events(String organizationId, String type) {
        return gatehouse.wiring.database.jdbi().withHandle(h -> h.createQuery(
                        "select count(*) from events where organization_id = :org and type = :type")
                .bind("org", organizationId).bind("type", type).mapTo(Long.class).one());
    }

    @Test
    void anAdminConfiguresTestsAndEnablesASamlConnectionFromMetadataAndItIsInTheApi() throws Exception {
        String org = organization();
        String[] link = link(org, "");
        String base = "/portal/" + link[0];
        Browser browser = new Browser();

        HttpResponse<String> opened = browser.get(pathOf(link[1]));
        assertThat(opened.statusCode()).isEqualTo(303);
        assertThat(location(opened)).isEqualTo(gatehouse.baseUrl() + base).doesNotContain("key=");
        assertThat(opened.headers().firstValue("set-cookie")).hasValueSatisfying(cookie -> assertThat(cookie)
                .startsWith("gatehouse_portal=").contains("; Path=" + base).contains("HttpOnly").contains("SameSite=Lax"));
        HttpResponse<String> home = browser.open(location(opened));
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("Single sign-on").contains("Directory sync");
        assertThat(home.headers().firstValue("content-security-policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("frame-ancestors 'self' http://localhost:3000 " + APP_ORIGIN + ";")
                .contains("script-src 'sha256-"));
        assertThat(home.headers().firstValue("x-frame-options")).isEmpty();

        HttpResponse<String> created = browser.submit(base + "/connections", Map.of("type", "SAML", "provider", "OKTA"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        Matcher id = Pattern.compile("data-connection=\"(conn_[0-9]+)\"").matcher(created.body());
        assertThat(id.find()).isTrue();
        String connectionId = id.group(1);
        assertThat(created.body()).contains(gatehouse.baseUrl() + "/sso/v1/saml/" + connectionId + "/callback")
                .contains(gatehouse.baseUrl() + "/sso/v1/saml/" + connectionId + "/metadata");

        HttpResponse<String> configured = browser.submit(base + "/connections/" + connectionId,
                Map.of("action", "saml_metadata_xml", "idp_metadata_xml", metadata(TestIdp.ENTITY_ID)));
        assertThat(configured.statusCode()).as(configured.body()).isEqualTo(200);
        assertThat(configured.body()).contains("COMPLETED").contains(IDP_SSO_URL);

        JsonNode api = gatehouse.get("/api/v1/organizations/" + org + "/connections/" + connectionId,
                gatehouse.accessToken()).json().path("connection");
        assertThat(api.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(api.path("enabled").asBoolean()).isFalse();
        assertThat(api.path("saml_config").path("idp_entity_id").asText()).isEqualTo(TestIdp.ENTITY_ID);
        assertThat(api.path("saml_config").path("idp_sso_url").asText()).isEqualTo(IDP_SSO_URL);
        assertThat(gatehouse.audit(gatehouse.environmentId(), "portal.update_connection"))
                .anySatisfy(record -> {
                    assertThat(record.actor()).contains(link[0]);
                    assertThat(record.target()).contains(connectionId);
                    assertThat(record.outcome()).isEqualTo(dev.gatehouse.core.audit.AuditRecord.Outcome.SUCCESS);
                });
        assertThat(events(org, "organization.sso_created")).isEqualTo(1);
        assertThat(events(org, "organization.sso_updated")).isEqualTo(1);

        // A custom attribute mapping (D-PR2): the test result shows what the IdP sent for it.
        TestGatehouse.Response mapped = gatehouse.patchJson("/api/v1/organizations/" + org + "/connections/" + connectionId,
                gatehouse.accessToken(), Map.of("attribute_mapping", Map.of("sub", "nameid", "email", "email",
                        "given_name", "firstName", "family_name", "lastName", "employee_number", "employeeNumber")));
        assertThat(mapped.status()).as("%s", mapped).isEqualTo(200);
        // Test the connection before enabling it: through the IdP and back to a result page, no user made.
        HttpResponse<String> ready = browser.post(base + "/connections/" + connectionId + "/test", Map.of());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        Matcher run = Pattern.compile("id=\"run-test\" href=\"([^\"]+)\"").matcher(ready.body());
        assertThat(run.find()).as(ready.body()).isTrue();
        assertThat(run.group(1)).startsWith(gatehouse.baseUrl() + "/portal/connection-tests/lgn_");
        Matcher testIdShown = Pattern.compile("The test (test_[0-9]+) is ready").matcher(ready.body());
        assertThat(testIdShown.find()).as(ready.body()).isTrue();
        String testResult = "/api/v1/connections/" + connectionId + "/test-requests/" + testIdShown.group(1);
        JsonNode pending = gatehouse.get(testResult, gatehouse.accessToken()).json();
        assertThat(pending.path("status").asText()).isEqualTo("PENDING");
        assertThat(pending.has("user_info")).isFalse();
        assertThat(new Browser().get(run.group(1).replaceAll("binding=[^&]+", "binding=forged")).statusCode())
                .as("another binding does not run the test").isEqualTo(400);
        // The test runs in a new window, which need not share the portal's cookie (an iframe's may be partitioned).
        Browser window = new Browser();
        HttpResponse<String> toIdp = window.get(run.group(1));
        assertThat(toIdp.statusCode()).as(toIdp.body()).isEqualTo(302);
        assertThat(location(toIdp)).startsWith(IDP_SSO_URL + "?SAMLRequest=");
        String relayState = HostedLoginBrowser.query(location(toIdp)).get("RelayState");
        String requestId = SamlBrowser.attribute(SamlBrowser.inflateRequest(location(toIdp)), "ID");
        String email = "portal-test-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.example";
        String acs = gatehouse.baseUrl() + "/sso/v1/saml/" + connectionId + "/callback";
        String saml = TestIdp.response(clock.instant()).destination(Optional.of(acs)).recipient(acs)
                .audience(gatehouse.baseUrl() + "/sso/v1/saml/" + connectionId + "/metadata")
                .inResponseTo(Optional.of(requestId)).nameId(email).attribute("email", email).attribute("firstName", "Ada")
                .attribute("employeeNumber", "1729").build().signAssertion().encode();
        HttpResponse<String> result = window.post(acs, Map.of("SAMLResponse", saml, "RelayState", relayState));
        assertThat(result.statusCode()).as(result.body()).isEqualTo(200);
        assertThat(result.body()).contains("data-outcome=\"succeeded\"").contains(email).contains("Ada")
                .contains(gatehouse.baseUrl() + base + "/connections/" + connectionId);
        assertThat(gatehouse.wiring.users.findByEmail(gatehouse.environmentId(), email)).as("a test signs nobody up").isEmpty();
        // GetConnectionTestResult (D-CT1) reports what the identity provider sent.
        JsonNode succeeded = gatehouse.get(testResult, gatehouse.accessToken()).json();
        assertThat(succeeded.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(succeeded.has("error")).isFalse();
        JsonNode userInfo = TestGatehouse.JSON.readTree(succeeded.path("user_info").asText());
        assertThat(userInfo.path("email").asText()).isEqualTo(email);
        assertThat(userInfo.path("sub").asText()).isEqualTo(email);
        assertThat(userInfo.path("given_name").asText()).isEqualTo("Ada");
        assertThat(userInfo.path("connection_id").asText()).isEqualTo(connectionId);
        assertThat(userInfo.path("organization_id").asText()).isEqualTo(org);
        assertThat(userInfo.path("raw_attributes").path("firstName").asText()).isEqualTo("Ada");
        assertThat(userInfo.path("employee_number").asText()).isEqualTo("1729");
        // A second answer for the same test changes nothing (it is refused: the login is over).
        assertThat(window.post(acs, Map.of("SAMLResponse", saml, "RelayState", relayState)).statusCode()).isEqualTo(400);
        assertThat(gatehouse.get(testResult, gatehouse.accessToken()).json().path("status").asText()).isEqualTo("SUCCESS");
        // Another environment does not see it; the ID is checked at the edge.
        var other = gatehouse.createIsolatedEnvironment();
        assertThat(gatehouse.get(testResult, gatehouse.accessToken(other)).status()).isEqualTo(404);
        assertThat(gatehouse.get("/api/v1/connections/" + connectionId + "/test-requests/test_1", gatehouse.accessToken())
                .status()).isEqualTo(404);
        TestGatehouse.Response badId = gatehouse.get("/api/v1/connections/" + connectionId + "/test-requests/lgn_1",
                gatehouse.accessToken());
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.json().path("details").toString()).contains("test_request_id");

        // A test that fails reports the seed's code to the API and the reason for the admin.
        HttpResponse<String> again = browser.post(base + "/connections/" + connectionId + "/test", Map.of());
        Matcher secondRun = Pattern.compile("id=\"run-test\" href=\"([^\"]+)\"").matcher(again.body());
        Matcher secondId = Pattern.compile("The test (test_[0-9]+) is ready").matcher(again.body());
        assertThat(secondRun.find() && secondId.find()).as(again.body()).isTrue();
        Browser failing = new Browser();
        HttpResponse<String> toIdpAgain = failing.get(secondRun.group(1));
        String unsigned = TestIdp.response(clock.instant()).destination(Optional.of(acs)).recipient(acs)
                .audience(gatehouse.baseUrl() + "/sso/v1/saml/" + connectionId + "/metadata")
                .inResponseTo(Optional.of(SamlBrowser.attribute(SamlBrowser.inflateRequest(location(toIdpAgain)), "ID")))
                .nameId(email).attribute("email", email).build().encode();
        HttpResponse<String> refused = failing.post(acs, Map.of("SAMLResponse", unsigned,
                "RelayState", HostedLoginBrowser.query(location(toIdpAgain)).get("RelayState")));
        assertThat(refused.body()).contains("data-outcome=\"failed\"");
        JsonNode failedResult = gatehouse.get("/api/v1/connections/" + connectionId + "/test-requests/" + secondId.group(1),
                gatehouse.accessToken()).json();
        assertThat(failedResult.path("status").asText()).isEqualTo("FAILURE");
        assertThat(failedResult.path("error").asText()).isNotBlank();
        assertThat(failedResult.path("error_details").asText()).isNotBlank();
        assertThat(failedResult.has("user_info")).isFalse();
        assertThat(gatehouse.audit(gatehouse.environmentId(), "sso.connection.test.succeeded"))
                .anySatisfy(record -> assertThat(record.attributes()).containsEntry("connection_id", connectionId));

        HttpResponse<String> enabled = browser.submit(base + "/connections/" + connectionId, Map.of("action", "enable"));
        assertThat(enabled.body()).contains("ORGANIZATION_SSO_ENABLED").contains("id=\"portal-events\"");
        assertThat(gatehouse.get("/api/v1/organizations/" + org + "/connections/" + connectionId, gatehouse.accessToken())
                .json().path("connection").path("enabled").asBoolean()).isTrue();
        assertThat(events(org, "organization.sso_enabled")).isEqualTo(1);
        assertThat(gatehouse.audit(gatehouse.environmentId(), "portal.enable_connection"))
                .anySatisfy(record -> assertThat(record.actor()).contains(link[0]));

        String domain = "acme-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        HttpResponse<String> withDomain = browser.submit(base + "/domains", Map.of("action", "create", "domain", domain));
        assertThat(withDomain.body()).contains(domain);
        assertThat(gatehouse.get("/api/v1/organizations/" + org + "/domains", gatehouse.accessToken()).body())
                .contains(domain);
    }

    @Test
    void anAdminSetsUpAScimDirectoryAndItsTokenIsShownOnceAndWorks() {
        String org = organization();
        String[] link = link(org, "?features=dir_sync");
        String base = "/portal/" + link[0];
        Browser browser = new Browser();
        HttpResponse<String> home = browser.open(pathOf(link[1]));
        assertThat(home.body()).contains("Directory sync").doesNotContain("New connection");

        HttpResponse<String> directory = browser.submit(base + "/directories", Map.of("provider", "OKTA"));
        Matcher id = Pattern.compile("data-directory=\"(dir_[0-9]+)\"").matcher(directory.body());
        assertThat(id.find()).as(directory.body()).isTrue();
        String directoryId = id.group(1);
        assertThat(directory.body()).contains(gatehouse.baseUrl() + "/directory/" + directoryId + "/scim/v2");

        HttpResponse<String> issued = browser.post(base + "/directories/" + directoryId, Map.of("action", "token"));
        assertThat(issued.statusCode()).isEqualTo(200);
        assertThat(issued.headers().firstValue("cache-control")).contains("no-store");
        Matcher token = Pattern.compile("id=\"new-token\" readonly value=\"([^\"]+)\"").matcher(issued.body());
        assertThat(token.find()).as(issued.body()).isTrue();
        String bearer = token.group(1);
        assertThat(browser.open(base + "/directories/" + directoryId).body()).doesNotContain(bearer);

        HttpResponse<String> enabled = browser.submit(base + "/directories/" + directoryId, Map.of("action", "enable"));
        assertThat(enabled.body()).contains("ORGANIZATION_DIRECTORY_ENABLED");
        TestGatehouse.Response scim = gatehouse.get("/directory/" + directoryId + "/scim/v2/Users", bearer);
        assertThat(scim.status()).as(scim.toString()).isEqualTo(200);
        assertThat(gatehouse.audit(gatehouse.environmentId(), "portal.create_directory_secret"))
                .anySatisfy(record -> assertThat(record.actor()).contains(link[0]));

        // The link has no SSO: its connection pages are not found, and that is audited.
        long mark = gatehouse.auditMark();
        assertThat(browser.get(base + "/connections/conn_12345678901234567").statusCode()).isEqualTo(404);
        assertThat(gatehouse.auditSince(mark, "portal.request.rejected")).isNotEmpty();
    }

    @Test
    void refusalsAre4xxPagesAndAudited() {
        String org = organization();
        String[] link = link(org, "");
        String base = "/portal/" + link[0];
        Browser browser = new Browser();
        browser.open(pathOf(link[1]));

        long mark = gatehouse.auditMark();
        assertThat(new Browser().get(base + "?key=wrong-key").statusCode()).isEqualTo(404);
        assertThat(gatehouse.auditSince(mark, "portal.link.rejected")).singleElement()
                .satisfies(row -> assertThat(row.reason()).contains("unknown link or wrong key"));

        mark = gatehouse.auditMark();
        assertThat(new Browser().get(base).statusCode()).isEqualTo(401);
        assertThat(gatehouse.auditSince(mark, "portal.session.rejected")).singleElement()
                .satisfies(row -> assertThat(row.reason()).contains("no portal session cookie"));

        mark = gatehouse.auditMark();
        String csrf = browser.csrf;
        browser.csrf = "forged";
        HttpResponse<String> forged = browser.post(base + "/connections", Map.of("type", "SAML", "provider", "OKTA"));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(gatehouse.auditSince(mark, "portal.request.rejected")).singleElement()
                .satisfies(row -> assertThat(row.reason()).contains("bad CSRF token"));
        assertThat(gatehouse.wiring.connections.listByOrganization(gatehouse.environmentId(), org)).isEmpty();
        browser.csrf = csrf;

        String otherOrg = organization();
        String foreign = gatehouse.postJson("/api/v1/organizations/" + otherOrg + "/connections", gatehouse.accessToken(),
                Map.of("type", "OIDC", "provider", "OKTA")).json().path("connection").path("id").asText();
        mark = gatehouse.auditMark();
        assertThat(browser.get(base + "/connections/" + foreign).statusCode()).isEqualTo(404);
        assertThat(browser.post(base + "/connections/" + foreign, Map.of("action", "enable")).statusCode()).isEqualTo(404);
        assertThat(gatehouse.auditSince(mark, "portal.request.rejected")).hasSize(2)
                .allSatisfy(row -> assertThat(row.reason()).hasValueSatisfying(r -> assertThat(r).contains(foreign)));

        // Another environment on another host name of this server does not know the link.
        TestGatehouse.TestEnvironment other = gatehouse.createEnvironment("portal-other",
                "http://localhost:" + gatehouse.port());
        mark = gatehouse.auditMark();
        assertThat(new Browser().get("http://localhost:" + gatehouse.port() + pathOf(link[1])).statusCode()).isEqualTo(404);
        assertThat(gatehouse.auditSince(mark, "portal.link.rejected")).singleElement()
                .satisfies(row -> assertThat(row.environmentId()).contains(other.id()));

        // Revoking the link ends its sessions at once, and the link stops opening.
        assertThat(gatehouse.delete("/api/v1/organizations/" + org + "/portal_links/" + link[0],
                gatehouse.accessToken()).status()).isEqualTo(200);
        mark = gatehouse.auditMark();
        assertThat(browser.get(base).statusCode()).isEqualTo(401);
        assertThat(new Browser().get(pathOf(link[1])).statusCode()).isEqualTo(404);
        assertThat(gatehouse.auditSince(mark, "portal.session.rejected")).hasSize(1);
        assertThat(gatehouse.auditSince(mark, "portal.link.rejected")).hasSize(1);
    }

    @Test
    void portalSessionsEndAfterSixHoursAndLinksAfterSevenDays() {
        String org = organization();
        String[] link = link(org, "");
        String base = "/portal/" + link[0];
        Browser browser = new Browser();
        assertThat(browser.open(pathOf(link[1])).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofHours(6).plusMinutes(1));
        long mark = gatehouse.auditMark();
        assertThat(browser.get(base).statusCode()).isEqualTo(401);
        assertThat(gatehouse.auditSince(mark, "portal.session.rejected")).hasSize(1);
        assertThat(browser.open(pathOf(link[1])).statusCode()).as("the link opens a new session").isEqualTo(200);

        clock.advance(Duration.ofDays(7));
        mark = gatehouse.auditMark();
        assertThat(new Browser().get(pathOf(link[1])).statusCode()).isEqualTo(410);
        assertThat(gatehouse.auditSince(mark, "portal.link.rejected")).singleElement()
                .satisfies(row -> assertThat(row.reason()).hasValueSatisfying(r -> assertThat(r).contains("expired")));
        assertThat(browser.get(base).statusCode()).as("the session ended with its link").isEqualTo(401);
        assertThat(gatehouse.get("/api/v1/organizations/" + org + "/portal_links", gatehouse.accessToken()).json()
                .path("links")).isEmpty();
    }
}
