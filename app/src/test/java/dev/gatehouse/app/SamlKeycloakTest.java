package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SAML sign-in against a real IdP, Keycloak 26 ({@link SamlKeycloakIdp}): each flow is driven like a browser without
 * JavaScript through Keycloak's own login form (the form parsed, username and password posted, the auto-post back to
 * Gatehouse's ACS followed) and ends with a code exchanged for tokens, or with the {@code idp_initiated_login} token.
 * Gatehouse learns the IdP from Keycloak's metadata document; Keycloak learns the SP from Gatehouse's SP metadata.
 */
class SamlKeycloakTest {
    private static final String PASSWORD = "correct-horse-battery";
    private static final String DEFAULT_REDIRECT = "http://localhost:3000/idp-initiated";
    private static final Pattern LOGIN_FORM = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LOGIN_FORM_ACTION_FIRST = Pattern.compile(
            "<form[^>]*action=\"([^\"]+)\"[^>]*id=\"kc-form-login\"", Pattern.CASE_INSENSITIVE);
    private static TestGatehouse gatehouse;
    private static SamlKeycloakIdp keycloak;
    private static String token;

    @BeforeAll
    static void start() {
        keycloak = SamlKeycloakIdp.shared();
        gatehouse = TestGatehouse.start();
        token = gatehouse.accessToken();
        var registered = gatehouse.patchJson("/api/v1/clients/" + TestGatehouse.CLIENT_ID, token, Map.of(
                "redirect_uris", List.of(HostedLoginBrowser.REDIRECT_URI, DEFAULT_REDIRECT)));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        gatehouse.close();
    }

    private record Setup(String organizationId, String connectionId, String realm, String username, String idpInitiatedName) {}

    /** An organization, its SAML connection configured from the realm's metadata, and the realm's SAML client. */
    private static Setup setup(String binding, boolean signRequests, boolean encrypt) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String realm = "acme-" + suffix;
        String username = "ada-" + suffix;
        String email = username + "@acme.example";
        keycloak.createRealm(realm, username, PASSWORD, email);
        String orgId = gatehouse.postJson("/api/v1/organizations", token, Map.of("display_name", "Acme " + suffix))
                .json().path("organization").path("id").asText();
        TestGatehouse.Response created = gatehouse.postJson("/api/v1/organizations/" + orgId + "/connections", token,
                Map.of("type", "SAML", "provider", "CUSTOM"));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        String id = created.json().path("connection").path("id").asText();
        TestGatehouse.Response patched = gatehouse.patchJson("/api/v1/organizations/" + orgId + "/connections/" + id, token,
                Map.of("debug_enabled", true, "saml_config", Map.of("idp_metadata_xml", keycloak.descriptor(realm))));
        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
        patched = gatehouse.patchJson("/api/v1/organizations/" + orgId + "/connections/" + id, token,
                Map.of("saml_config", Map.of("idp_sso_request_binding", binding, "want_request_signed", signRequests,
                        "assertion_encrypted", encrypt, "allow_idp_initiated_login", true,
                        "default_redirect_uri", DEFAULT_REDIRECT,
                        "saml_signing_option", "SAML_RESPONSE_ASSERTION_SIGNING")));
        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
        JsonNode saml = patched.json().path("connection").path("saml_config");
        String metadata = new SamlBrowser().get(saml.path("sp_metadata_url").asText()).body();
        Matcher certificate = Pattern.compile("<(?:ds:)?X509Certificate>([^<]+)</").matcher(metadata);
        assertThat(certificate.find()).as(metadata).isTrue();
        keycloak.createSamlClient(realm, new SamlKeycloakIdp.SamlClient(saml.path("sp_entity_id").asText(),
                saml.path("sp_assertion_url").asText(), "gh-" + suffix, signRequests, encrypt,
                certificate.group(1).replaceAll("\\s", "")));
        TestGatehouse.Response enabled = gatehouse.send("PATCH", "/api/v1/connections/" + id + ":enable", token, null, null);
        assertThat(enabled.status()).as("%s", enabled).isEqualTo(200);
        return new Setup(orgId, id, realm, username, "gh-" + suffix);
    }

    /** GETs redirects (at most 10) until a page answers. */
    private static SamlBrowser.Answer follow(SamlBrowser browser, String base, SamlBrowser.Answer answer) {
        for (int hops = 0; hops < 10 && answer.status() / 100 == 3; hops++) {
            String next = URI.create(base).resolve(answer.location().orElseThrow()).toString();
            if (!next.startsWith(keycloak.baseUrl()) && !next.startsWith(gatehouse.baseUrl())) {
                return answer;
            }
            answer = browser.get(next);
        }
        return answer;
    }

    /** Keycloak's login form answered with the user's password; returns Keycloak's auto-post page to the ACS. */
    private static SamlBrowser.Answer logIn(SamlBrowser browser, SamlBrowser.Answer loginPage, String username) {
        loginPage = follow(browser, keycloak.baseUrl(), loginPage);
        assertThat(loginPage.status()).as(loginPage.body()).isEqualTo(200);
        Matcher m = LOGIN_FORM.matcher(loginPage.body());
        Matcher alternative = LOGIN_FORM_ACTION_FIRST.matcher(loginPage.body());
        String action = m.find() ? m.group(1) : alternative.find() ? alternative.group(1) : null;
        assertThat(action).as(loginPage.body()).isNotNull();
        SamlBrowser.Answer posted = browser.post(SamlBrowser.unescape(action),
                Map.of("username", username, "password", PASSWORD, "credentialId", ""));
        posted = follow(browser, keycloak.baseUrl(), posted);
        assertThat(posted.body()).as("Keycloak's answer to the login").contains("SAMLResponse");
        return posted;
    }

    /** The auto-post form (Keycloak's or Gatehouse's) submitted as a browser would. */
    private static SamlBrowser.Answer submit(SamlBrowser browser, String base, SamlBrowser.Answer page) {
        String action = URI.create(base).resolve(page.formAction()).toString();
        return browser.post(action, page.formFields());
    }

    private static void signInAndExchange(Setup setup) {
        SamlBrowser browser = new SamlBrowser();
        HostedLoginBrowser.Pkce pkce = HostedLoginBrowser.Pkce.create();
        SamlBrowser.Answer toIdp = browser.get(gatehouse.baseUrl() + HostedLoginBrowser.authorizePath(Map.of(
                "connection_id", setup.connectionId(), "code_challenge", pkce.challenge(), "code_challenge_method", "S256")));
        SamlBrowser.Answer loginPage = toIdp.status() == 200 ? submit(browser, gatehouse.baseUrl(), toIdp)
                : browser.get(toIdp.location().orElseThrow());
        SamlBrowser.Answer autoPost = logIn(browser, loginPage, setup.username());
        SamlBrowser.Answer callback = submit(browser, keycloak.baseUrl(), autoPost);

        assertThat(callback.status()).as(callback.body()).isEqualTo(302);
        Map<String, String> query = HostedLoginBrowser.query(callback.location().orElseThrow());
        assertThat(query).as(callback.location().get()).containsKey("code").containsEntry("state", "state-1");
        TestGatehouse.Response tokens = gatehouse.postForm("/oauth/token", Map.of("grant_type", "authorization_code",
                "code", query.get("code"), "redirect_uri", HostedLoginBrowser.REDIRECT_URI, "client_id",
                TestGatehouse.CLIENT_ID, "client_secret", TestGatehouse.CLIENT_SECRET, "code_verifier", pkce.verifier()), Map.of());
        assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
        JsonNode idToken = SamlSignInTest.claims(tokens.json().path("id_token").asText());
        assertThat(idToken.path("email").asText()).isEqualTo(setup.username() + "@acme.example");
        assertThat(idToken.path("given_name").asText()).isEqualTo("Ada");
        assertThat(idToken.path("amr").get(0).asText()).isEqualTo(setup.connectionId());
        assertThat(SamlSignInTest.claims(tokens.json().path("access_token").asText()).path("oid").asText())
                .isEqualTo(setup.organizationId());
    }

    @Test
    void spInitiatedWithSignedAssertionsOverTheRedirectBinding() {
        signInAndExchange(setup("HTTP_REDIRECT", false, false));
    }

    @Test
    void spInitiatedWithSignedAndEncryptedAssertions() {
        signInAndExchange(setup("HTTP_REDIRECT", false, true));
    }

    @Test
    void signedAuthnRequestsOverBothBindingsAreAcceptedByKeycloak() {
        signInAndExchange(setup("HTTP_REDIRECT", true, false));
        signInAndExchange(setup("HTTP_POST", true, false));
    }

    @Test
    void idpInitiatedLoginEndsAtTheDefaultRedirectUriWithAVerifiableToken() {
        Setup setup = setup("HTTP_POST", false, false);
        SamlBrowser browser = new SamlBrowser();
        SamlBrowser.Answer loginPage = browser.get(keycloak.idpInitiatedUrl(setup.realm(), setup.idpInitiatedName()));
        SamlBrowser.Answer autoPost = logIn(browser, loginPage, setup.username());
        SamlBrowser.Answer answer = submit(browser, keycloak.baseUrl(), autoPost);
        if (answer.status() == 200 && answer.body().contains("gatehouse_repost")) {
            answer = submit(browser, gatehouse.baseUrl(), answer);
        }
        String location = answer.location().orElseThrow(() -> new AssertionError("no redirect"));
        assertThat(location).startsWith(DEFAULT_REDIRECT + "?idp_initiated_login=");
        JsonNode claims = SamlSignInTest.claims(HostedLoginBrowser.query(location).get("idp_initiated_login"));
        assertThat(claims.path("connection_id").asText()).isEqualTo(setup.connectionId());
        assertThat(claims.path("organization_id").asText()).isEqualTo(setup.organizationId());
        assertThat(claims.path("login_hint").asText()).isEqualTo(setup.username() + "@acme.example");
    }
}
