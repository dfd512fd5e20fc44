package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.saml.testing.TestIdp;
import dev.gatehouse.saml.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SAML sign-in end to end over HTTP with an in-process test IdP (the saml module's {@link TestIdp}, signing with a
 * test key): authorize with {@code connection_id} → AuthnRequest → a signed (or signed and encrypted) response
 * POSTed to the ACS → code → tokens; IdP-initiated logins; SP metadata; and refusals through the ACS (unsigned,
 * wrong audience, replay, malformed), each with its error code, its audit record, and no user or session made.
 */
class SamlSignInTest {
    private static final String IDP_SSO_URL = "https://idp.example.test/sso";
    private static final String DEFAULT_REDIRECT = "http://localhost:3000/idp-initiated";
    private static TestGatehouse gatehouse;
    private static String token;

    @BeforeAll
    static void start() {
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

    /** An organization with an enabled SAML connection trusting the test IdP's key; returns {org, connection}. */
    private static String[] connection(Map<String, Object> extraSaml) {
        TestGatehouse.Response org = gatehouse.postJson("/api/v1/organizations", token,
                Map.of("display_name", "Saml " + UUID.randomUUID().toString().substring(0, 8)));
        String orgId = org.json().path("organization").path("id").asText();
        TestGatehouse.Response created = gatehouse.postJson("/api/v1/organizations/" + orgId + "/connections", token,
                Map.of("type", "SAML", "provider", "OKTA"));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        String id = created.json().path("connection").path("id").asText();
        Map<String, Object> saml = new LinkedHashMap<>(Map.of("idp_entity_id", TestIdp.ENTITY_ID, "idp_sso_url", IDP_SSO_URL,
                "idp_certificate", TestKeys.IDP.certificatePem(), "idp_sso_request_binding", "HTTP_REDIRECT"));
        saml.putAll(extraSaml);
        TestGatehouse.Response patched = gatehouse.patchJson("/api/v1/organizations/" + orgId + "/connections/" + id, token,
                Map.of("saml_config", saml));
        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
        TestGatehouse.Response enabled = gatehouse.send("PATCH", "/api/v1/connections/" + id + ":enable", token, null, null);
        assertThat(enabled.status()).as("%s", enabled).isEqualTo(200);
        return new String[] {orgId, id};
    }

    private static String acs(String connectionId) {
        return gatehouse.baseUrl() + "/sso/v1/saml/" + connectionId + "/callback";
    }

    private static String entityId(String connectionId) {
        return gatehouse.baseUrl() + "/sso/v1/saml/" + connectionId + "/metadata";
    }

    /** A started SP-initiated login: the redirect to the IdP, its RelayState and AuthnRequest ID. */
    private record Started(SamlBrowser browser, String idpUrl, String relayState, String requestId, HostedLoginBrowser.Pkce pkce) {}

    private static Started startLogin(String connectionId) {
        SamlBrowser browser = new SamlBrowser();
        HostedLoginBrowser.Pkce pkce = HostedLoginBrowser.Pkce.create();
        SamlBrowser.Answer answer = browser.get(gatehouse.baseUrl() + HostedLoginBrowser.authorizePath(Map.of(
                "connection_id", connectionId, "code_challenge", pkce.challenge(), "code_challenge_method", "S256")));
        assertThat(answer.status()).as(answer.body()).isEqualTo(302);
        String location = answer.location().orElseThrow();
        assertThat(location).startsWith(IDP_SSO_URL + "?SAMLRequest=");
        Map<String, String> query = HostedLoginBrowser.query(location);
        String xml = SamlBrowser.inflateRequest(location);
        return new Started(browser, location, query.get("RelayState"), SamlBrowser.attribute(xml, "ID"), pkce);
    }

    private static TestIdp.Spec response(String connectionId, Optional<String> inResponseTo, String email) {
        return TestIdp.response(Instant.now()).destination(Optional.of(acs(connectionId))).recipient(acs(connectionId))
                .audience(entityId(connectionId)).inResponseTo(inResponseTo).nameId(email).attribute("email", email);
    }

    private static SamlBrowser.Answer postAcs(SamlBrowser browser, String connectionId, String samlResponse,
                                              Optional<String> relayState) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("SAMLResponse", samlResponse);
        relayState.ifPresent(value -> form.put("RelayState", value));
        return browser.post(acs(connectionId), form);
    }

    private static JsonNode exchange(String callback, HostedLoginBrowser.Pkce pkce) {
        Map<String, String> query = HostedLoginBrowser.query(callback);
        assertThat(query).as(callback).containsKey("code").containsEntry("state", "state-1");
        TestGatehouse.Response tokens = gatehouse.postForm("/oauth/token", Map.of("grant_type", "authorization_code",
                "code", query.get("code"), "redirect_uri", HostedLoginBrowser.REDIRECT_URI, "client_id",
                TestGatehouse.CLIENT_ID, "client_secret", TestGatehouse.CLIENT_SECRET, "code_verifier", pkce.verifier()), Map.of());
        assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
        return claims(tokens.json().path("id_token").asText());
    }

    static JsonNode claims(String jwt) {
        try {
            return TestGatehouse.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String email() {
        return "saml-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.example";
    }

    private static boolean userExists(String email) {
        return gatehouse.wiring.users.findByEmail(gatehouse.environmentId(), email).isPresent();
    }

    @Test
    void spInitiatedSignInWithASignedAssertionEndsWithTokensAndAMembership() {
        String[] ids = connection(Map.of());
        Started login = startLogin(ids[1]);
        assertThat(login.relayState()).startsWith("lgn_");
        assertThat(login.requestId()).matches("id-[0-9a-f]{40}");
        assertThat(HostedLoginBrowser.query(login.idpUrl())).doesNotContainKey("Signature");
        String email = email();
        String saml = response(ids[1], Optional.of(login.requestId()), email).build().signAssertion().encode();

        SamlBrowser.Answer callback = postAcs(login.browser(), ids[1], saml, Optional.of(login.relayState()));

        assertThat(callback.status()).as(callback.body()).isEqualTo(302);
        assertThat(callback.location().orElseThrow()).startsWith(HostedLoginBrowser.REDIRECT_URI + "?code=");
        JsonNode idToken = exchange(callback.location().get(), login.pkce());
        assertThat(idToken.path("email").asText()).isEqualTo(email);
        assertThat(idToken.path("amr").get(0).asText()).isEqualTo(ids[1]);
        var user = gatehouse.wiring.users.findByEmail(gatehouse.environmentId(), email).orElseThrow();
        assertThat(user.memberships()).anyMatch(m -> m.organizationId().equals(ids[0]));
    }

    /** OIDC Core §3.3.2.11: base64url of the left half of SHA-256 over the code's ASCII, as a relying party checks it. */
    private static String leftHalfSha256(String value) throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, digest.length / 2));
    }

    @Test
    void theLinkedIdentityAndMappedCustomAttributesReachTheIdTokenUserinfoTheUsersApiAndTheNodeSdk() throws Exception {
        String[] ids = connection(Map.of());
        TestGatehouse.Response mapped = gatehouse.patchJson("/api/v1/organizations/" + ids[0] + "/connections/" + ids[1],
                token, Map.of("attribute_mapping", Map.of("sub", "nameid", "email", "email", "given_name", "firstName",
                        "family_name", "lastName", "employee_number", "employeeNumber")));
        assertThat(mapped.status()).as("%s", mapped).isEqualTo(200);
        Started login = startLogin(ids[1]);
        String email = email();
        String saml = response(ids[1], Optional.of(login.requestId()), email).attribute("firstName", "Ada")
                .attribute("employeeNumber", "1729").attribute("department", "Engines").build().signAssertion().encode();
        SamlBrowser.Answer callback = postAcs(login.browser(), ids[1], saml, Optional.of(login.relayState()));
        String code = HostedLoginBrowser.query(callback.location().orElseThrow()).get("code");

        TestGatehouse.Response tokens = gatehouse.postForm("/oauth/token", Map.of("grant_type", "authorization_code",
                "code", code, "redirect_uri", HostedLoginBrowser.REDIRECT_URI, "client_id", TestGatehouse.CLIENT_ID,
                "client_secret", TestGatehouse.CLIENT_SECRET, "code_verifier", login.pkce().verifier()), Map.of());
        assertThat(tokens.status()).as("%s", tokens).isEqualTo(200);
        JsonNode idToken = claims(tokens.json().path("id_token").asText());
        // c_hash as a relying party (openid-client's hybrid-flow check) computes it from the code it sent.
        assertThat(idToken.path("c_hash").asText()).isEqualTo(leftHalfSha256(code));
        JsonNode identities = idToken.path("identities");
        assertThat(identities.size()).as("%s", idToken).isEqualTo(1);
        JsonNode identity = identities.get(0);
        assertThat(identity.path("organization_id").asText()).isEqualTo(ids[0]);
        assertThat(identity.path("connection_id").asText()).isEqualTo(ids[1]);
        assertThat(identity.path("connection_type").asText()).isEqualTo("SAML");
        assertThat(identity.path("provider_name").asText()).isEqualTo("OKTA");
        assertThat(identity.path("social").isBoolean()).isTrue();
        assertThat(identity.path("social").asBoolean()).isFalse();
        assertThat(identity.path("provider_raw_attributes").path("department").asText()).isEqualTo("Engines");
        assertThat(identity.path("provider_raw_attributes").path("employeeNumber").asText()).isEqualTo("1729");
        assertThat(identity.path("provider_raw_attributes").path("email").asText()).isEqualTo(email);
        assertThat(idToken.path("custom_attributes").path("employee_number").asText()).isEqualTo("1729");
        assertThat(idToken.path("custom_attributes").has("department")).as("unmapped attributes stay raw").isFalse();

        TestGatehouse.Response userinfo = gatehouse.get("/userinfo", tokens.json().path("access_token").asText());
        assertThat(userinfo.status()).as("%s", userinfo).isEqualTo(200);
        assertThat(userinfo.json().path("identities")).isEqualTo(identities);
        assertThat(userinfo.json().path("custom_attributes").path("employee_number").asText()).isEqualTo("1729");

        // A refreshed ID token has the identities too, but no c_hash: no code was exchanged.
        TestGatehouse.Response refreshed = gatehouse.postForm("/oauth/token", Map.of("grant_type", "refresh_token",
                "refresh_token", tokens.json().path("refresh_token").asText(), "client_id", TestGatehouse.CLIENT_ID,
                "client_secret", TestGatehouse.CLIENT_SECRET), Map.of());
        JsonNode refreshedIdToken = claims(refreshed.json().path("id_token").asText());
        assertThat(refreshedIdToken.path("identities")).isEqualTo(identities);
        assertThat(refreshedIdToken.has("c_hash")).isFalse();

        String userId = idToken.path("sub").asText();
        TestGatehouse.Response user = gatehouse.get("/api/v1/users/" + userId, token);
        JsonNode profile = user.json().path("user").path("user_profile");
        assertThat(profile.path("custom_attributes").path("employee_number").asText()).isEqualTo("1729");
        assertThat(profile.path("external_identities").size()).as("%s", user).isEqualTo(1);
        JsonNode external = profile.path("external_identities").get(0);
        assertThat(external.path("connection_id").asText()).isEqualTo(ids[1]);
        assertThat(external.path("connection_type").asText()).isEqualTo("SAML");
        assertThat(external.path("connection_provider").asText()).isEqualTo("OKTA");
        assertThat(external.path("connection_user_id").asText()).isEqualTo(email);
        assertThat(external.path("is_social").asBoolean()).isFalse();
        TestGatehouse.Response listed = gatehouse.get("/api/v1/organizations/" + ids[0] + "/users", token);
        assertThat(listed.json().path("users").get(0).path("user_profile").path("external_identities").get(0)
                .path("connection_id").asText()).as("%s", listed).isEqualTo(ids[1]);

        // The next sign-in brings the IdP's new value onto the user; the official Node SDK's user has the identity.
        Started again = startLogin(ids[1]);
        String second = response(ids[1], Optional.of(again.requestId()), email).attribute("employeeNumber", "1730")
                .build().signAssertion().encode();
        SamlBrowser.Answer secondCallback = postAcs(again.browser(), ids[1], second, Optional.of(again.relayState()));
        String secondCode = HostedLoginBrowser.query(secondCallback.location().orElseThrow()).get("code");
        String output = OidcNodeScripts.runAndPass(gatehouse, "sso-identities.mjs", Map.of("SSO_CODE", secondCode,
                "SSO_REDIRECT_URI", HostedLoginBrowser.REDIRECT_URI, "SSO_CODE_VERIFIER", again.pkce().verifier(),
                "SSO_CONNECTION_ID", ids[1], "SSO_ORGANIZATION_ID", ids[0], "SSO_EMAIL", email,
                "SSO_RAW_ATTRIBUTE", "employeeNumber=1730", "SSO_CUSTOM_ATTRIBUTE", "employee_number=1730"));
        assertThat(OidcNodeScripts.checks(output)).isEqualTo(3);
        assertThat(gatehouse.wiring.users.findById(gatehouse.environmentId(), userId).orElseThrow().user().profile()
                .customAttributes()).containsEntry("employee_number", "1730");
    }

    @Test
    void signedAuthnRequestsAndEncryptedAssertionsWorkWithTheConnectionsOwnSpKey() throws Exception {
        String[] ids = connection(Map.of("want_request_signed", true, "assertion_encrypted", true,
                "saml_signing_option", "SAML_RESPONSE_ASSERTION_SIGNING"));
        SamlBrowser.Answer metadata = new SamlBrowser().get(entityId(ids[1]));
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.body()).contains("entityID=\"" + entityId(ids[1]) + "\"")
                .contains("Location=\"" + acs(ids[1]) + "\"").contains("AuthnRequestsSigned=\"true\"")
                .contains("use=\"encryption\"");
        X509Certificate spCertificate = certificateIn(metadata.body());

        Started login = startLogin(ids[1]);
        Map<String, String> query = HostedLoginBrowser.query(login.idpUrl());
        assertThat(query).containsKeys("Signature", "SigAlg");
        String signed = login.idpUrl().substring(login.idpUrl().indexOf('?') + 1, login.idpUrl().indexOf("&Signature="));
        java.security.Signature verifier = java.security.Signature.getInstance("SHA256withRSA");
        verifier.initVerify(spCertificate.getPublicKey());
        verifier.update(signed.getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(Base64.getDecoder().decode(query.get("Signature")))).isTrue();

        String email = email();
        String saml = response(ids[1], Optional.of(login.requestId()), email).build().signAssertion()
                .encryptAssertion(spCertificate).signResponse().encode();
        SamlBrowser.Answer callback = postAcs(login.browser(), ids[1], saml, Optional.of(login.relayState()));
        assertThat(callback.location().orElseThrow()).startsWith(HostedLoginBrowser.REDIRECT_URI + "?code=");
        assertThat(exchange(callback.location().get(), login.pkce()).path("email").asText()).isEqualTo(email);

        // A clear assertion is refused on this connection.
        Started second = startLogin(ids[1]);
        String clear = response(ids[1], Optional.of(second.requestId()), email()).build().signAssertion().signResponse()
                .encode();
        SamlBrowser.Answer refused = postAcs(second.browser(), ids[1], clear, Optional.of(second.relayState()));
        assertThat(HostedLoginBrowser.query(refused.location().orElseThrow())).containsEntry("error", "invalid_saml_response");
    }

    @Test
    void idpInitiatedLoginsGoToTheDefaultRedirectUriWithASignedTokenAndNeverAsACode() throws Exception {
        String[] ids = connection(Map.of("allow_idp_initiated_login", true, "default_redirect_uri", DEFAULT_REDIRECT));
        String email = email();
        String saml = response(ids[1], Optional.empty(), email).build().signAssertion().encode();

        SamlBrowser.Answer answer = postAcs(new SamlBrowser(), ids[1], saml, Optional.of("app-state-7"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("gatehouse_repost");
        SamlBrowser browser = new SamlBrowser();
        Map<String, String> fields = new LinkedHashMap<>(answer.formFields());
        SamlBrowser.Answer reposted = browser.post(gatehouse.baseUrl() + answer.formAction(), fields);
        String location = reposted.location().orElseThrow(() -> new AssertionError(reposted.body()));
        assertThat(location).startsWith(DEFAULT_REDIRECT + "?idp_initiated_login=");
        String jwt = HostedLoginBrowser.query(location).get("idp_initiated_login");
        JsonNode claims = claims(jwt);
        assertThat(claims.path("connection_id").asText()).isEqualTo(ids[1]);
        assertThat(claims.path("organization_id").asText()).isEqualTo(ids[0]);
        assertThat(claims.path("login_hint").asText()).isEqualTo(email);
        assertThat(claims.path("relay_state").asText()).isEqualTo("app-state-7");
        assertThat(claims.path("iss").asText()).isEqualTo(gatehouse.baseUrl());
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(300);
        assertThat(userExists(email)).as("an IdP-initiated response signs nobody in").isFalse();
        // The official SDK's getIdpInitiatedLoginClaims accepts it, and refuses forged variants.
        String output = OidcNodeScripts.runAndPass(gatehouse, "idp-initiated.mjs", Map.of("IDP_INITIATED_LOGIN", jwt,
                "EXPECT_CONNECTION_ID", ids[1], "EXPECT_ORGANIZATION_ID", ids[0], "EXPECT_LOGIN_HINT", email,
                "EXPECT_RELAY_STATE", "app-state-7"));
        assertThat(OidcNodeScripts.checks(output)).isEqualTo(3);

        // A connection that does not allow it refuses the same kind of response.
        String[] strict = connection(Map.of());
        long mark = gatehouse.auditMark();
        SamlBrowser.Answer repost = postAcs(browser, strict[1],
                response(strict[1], Optional.empty(), email()).build().signAssertion().encode(), Optional.empty());
        SamlBrowser.Answer refused = browser.post(gatehouse.baseUrl() + repost.formAction(), repost.formFields());
        assertThat(refused.status()).isEqualTo(400);
        assertThat(gatehouse.auditSince(mark, "sso.saml.response.rejected")).singleElement()
                .satisfies(row -> assertThat(row.attributes()).contains("invalid_saml_response"));
    }

    private record Refusal(String name, UnaryOperator<TestIdp.Spec> change, boolean sign, String code, String step) {}

    @Test
    void refusedResponsesGoBackToTheAppWithTheSeedCodeAreAuditedAndCreateNobody() {
        String[] ids = connection(Map.of());
        List<Refusal> refusals = List.of(
                new Refusal("unsigned", spec -> spec, false, "signature_validation_failed", "signing_requirement"),
                new Refusal("wrong audience", spec -> spec.audience("https://other.example/sp"), true, "invalid_acs_url",
                        "audience"),
                new Refusal("wrong InResponseTo", spec -> spec.inResponseTo(Optional.of("id-" + "0".repeat(40))), true,
                        "invalid_saml_response", "in_response_to"));
        for (Refusal refusal : refusals) {
            Started login = startLogin(ids[1]);
            String email = email();
            var built = refusal.change().apply(response(ids[1], Optional.of(login.requestId()), email)).build();
            String saml = (refusal.sign() ? built.signAssertion() : built).encode();
            long mark = gatehouse.auditMark();

            SamlBrowser.Answer answer = postAcs(login.browser(), ids[1], saml, Optional.of(login.relayState()));

            assertThat(answer.status()).as(refusal.name()).isEqualTo(302);
            Map<String, String> query = HostedLoginBrowser.query(answer.location().orElseThrow());
            assertThat(query).as(refusal.name()).containsEntry("error", refusal.code()).containsEntry("state", "state-1");
            assertThat(gatehouse.auditSince(mark, "sso.saml.response.rejected")).as(refusal.name()).singleElement()
                    .satisfies(row -> assertThat(row.attributes()).contains(refusal.code()).contains(ids[1]));
            assertThat(userExists(email)).as(refusal.name()).isFalse();
            assertThat(login.browser().cookies.getCookieStore().getCookies())
                    .noneMatch(c -> c.getName().equals("gatehouse_session"));
        }
    }

    @Test
    void aReplayedAssertionIsRefusedEvenForAFreshLogin() {
        String[] ids = connection(Map.of());
        String assertionId = "_replay" + UUID.randomUUID().toString().replace("-", "");
        Started first = startLogin(ids[1]);
        String email = email();
        SamlBrowser.Answer ok = postAcs(first.browser(), ids[1], response(ids[1], Optional.of(first.requestId()), email)
                .assertionId(assertionId).build().signAssertion().encode(), Optional.of(first.relayState()));
        assertThat(ok.location().orElseThrow()).contains("code=");

        Started second = startLogin(ids[1]);
        String other = email();
        long mark = gatehouse.auditMark();
        SamlBrowser.Answer replay = postAcs(second.browser(), ids[1], response(ids[1], Optional.of(second.requestId()), other)
                .assertionId(assertionId).build().signAssertion().encode(), Optional.of(second.relayState()));
        assertThat(HostedLoginBrowser.query(replay.location().orElseThrow())).containsEntry("error", "invalid_saml_response");
        assertThat(gatehouse.auditSince(mark, "sso.saml.response.rejected")).singleElement()
                .satisfies(row -> assertThat(row.attributes()).contains("replay"));
        assertThat(userExists(other)).isFalse();
    }

    @Test
    void malformedInputIsAFourHundredAndAMissingEmailIsMandatoryAttributeMissing() {
        String[] ids = connection(Map.of());
        SamlBrowser browser = new SamlBrowser();
        assertThat(browser.post(acs(ids[1]), Map.of("RelayState", "x")).status()).isEqualTo(400);
        assertThat(postAcs(browser, ids[1], "%%%not-base64", Optional.empty()).status()).isEqualTo(200); // re-post page
        Started login = startLogin(ids[1]);
        assertThat(postAcs(login.browser(), "conn_00000000000000000", "PHg+", Optional.empty()).status()).isEqualTo(404);
        SamlBrowser.Answer garbage = postAcs(login.browser(), ids[1], "%%%not-base64", Optional.of(login.relayState()));
        assertThat(HostedLoginBrowser.query(garbage.location().orElseThrow())).containsEntry("error", "malformed_saml_response");

        Started again = startLogin(ids[1]);
        TestIdp.Spec spec = TestIdp.response(Instant.now()).destination(Optional.of(acs(ids[1]))).recipient(acs(ids[1]))
                .audience(entityId(ids[1])).inResponseTo(Optional.of(again.requestId())).nameId("opaque-42");
        spec.attribute("email", " ");
        SamlBrowser.Answer missing = postAcs(again.browser(), ids[1], spec.build().signAssertion().encode(),
                Optional.of(again.relayState()));
        // a blank email attribute, and a NameID that is no address: nothing usable for email
        assertThat(HostedLoginBrowser.query(missing.location().orElseThrow()))
                .containsEntry("error", "mandatory_attribute_missing");
        assertThat(new SamlBrowser().get(gatehouse.baseUrl() + "/sso/v1/saml/conn_00000000000000000/metadata").status())
                .isEqualTo(404);
    }

    @Test
    void anotherEnvironmentsHostSeesNeitherTheAcsNorTheMetadataOfAConnection() {
        String[] ids = connection(Map.of("allow_idp_initiated_login", true, "default_redirect_uri", DEFAULT_REDIRECT));
        gatehouse.createEnvironment("saml-env-b", "http://localhost:" + gatehouse.port());
        String otherHost = "http://localhost:" + gatehouse.port() + "/sso/v1/saml/" + ids[1];
        SamlBrowser browser = new SamlBrowser();
        assertThat(browser.get(otherHost + "/metadata").status()).isEqualTo(404);
        String saml = response(ids[1], Optional.empty(), email()).build().signAssertion().encode();
        SamlBrowser.Answer answer = browser.post(otherHost + "/callback", Map.of("SAMLResponse", saml,
                "gatehouse_repost", "1"));
        assertThat(answer.status()).isEqualTo(404);
        // The same response is still unused in its own environment: nothing was recorded by the refused attempt.
        SamlBrowser.Answer own = browser.post(acs(ids[1]), Map.of("SAMLResponse", saml, "gatehouse_repost", "1"));
        assertThat(own.location().orElseThrow()).startsWith(DEFAULT_REDIRECT + "?idp_initiated_login=");
    }

    private static X509Certificate certificateIn(String metadata) throws Exception {
        Matcher m = Pattern.compile("<(?:ds:)?X509Certificate>([^<]+)</").matcher(metadata);
        assertThat(m.find()).isTrue();
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Base64.getMimeDecoder().decode(m.group(1))));
    }
}
