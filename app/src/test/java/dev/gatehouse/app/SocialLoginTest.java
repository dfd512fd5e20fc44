package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Social logins end to end against {@link SocialProviderStandIn}: settings through {@code /api/v1/social/connections}
 * (secret write-only, endpoints overridden), {@code provider=github} and {@code provider=google} at
 * {@code /oauth/authorize}, the callback at {@code /sso/v1/social/{provider}/callback}, tokens at the app; GitHub's
 * verified primary email, an unverified address that must not take over an existing user, a wrong client secret,
 * and another environment that sees none of it.
 */
class SocialLoginTest {
    private static SocialProviderStandIn provider;
    private static TestGatehouse gatehouse;
    private static String token;

    @BeforeAll
    static void start() throws IOException {
        provider = new SocialProviderStandIn();
        gatehouse = TestGatehouse.start(Map.of("GATEHOUSE_SSO_ALLOW_PRIVATE_METADATA", "true"));
        token = gatehouse.accessToken();
        assertThat(gatehouse.patchJson("/api/v1/clients/" + TestGatehouse.CLIENT_ID, token,
                Map.of("redirect_uris", List.of(HostedLoginBrowser.REDIRECT_URI))).status()).isEqualTo(200);
        configure("github", provider.baseUrl() + "/api", SocialProviderStandIn.CLIENT_SECRET);
        configure("google", provider.baseUrl() + "/userinfo", SocialProviderStandIn.CLIENT_SECRET);
    }

    @AfterAll
    static void stop() {
        gatehouse.close();
        provider.close();
    }

    private static JsonNode configure(String name, String profileUrl, String secret) {
        var put = gatehouse.send("PUT", "/api/v1/social/connections/" + name, token, "application/json",
                TestGatehouse.toJson(Map.of("client_id", SocialProviderStandIn.CLIENT_ID, "client_secret", secret,
                        "authorize_url", provider.baseUrl() + "/authorize", "token_url", provider.baseUrl() + "/token",
                        "profile_url", profileUrl, "enabled", true)));
        assertThat(put.status()).as("%s", put).isEqualTo(200);
        return put.json();
    }

    /** Authorize with provider=…, the provider's consent, the callback: where Gatehouse sends the browser. */
    private static String signIn(HostedLoginBrowser browser, String name, SocialProviderStandIn.Profile profile) {
        var toProvider = browser.open(HostedLoginBrowser.authorizePath(Map.of("provider", name, "state", "s-" + name)));
        String location = toProvider.location().orElseThrow(() -> new AssertionError(toProvider.html()));
        assertThat(location).startsWith(provider.baseUrl() + "/authorize?");
        Map<String, String> request = HostedLoginBrowser.query(location);
        assertThat(request).containsEntry("client_id", SocialProviderStandIn.CLIENT_ID)
                .containsEntry("code_challenge_method", "S256").containsEntry("response_type", "code")
                .containsEntry("redirect_uri", gatehouse.baseUrl() + "/sso/v1/social/" + name + "/callback");
        String code = provider.authorize(request, profile);
        var back = browser.open(request.get("redirect_uri") + "?code=" + code + "&state=" + request.get("state"));
        if (back.location().isEmpty() && back.html().contains("Create your organization")) {
            // A new user without an organization: the hosted login asks for one (D-O7), as after an email code.
            back = browser.post(Map.of("action", "create_organization", "name", "Org of " + name));
        }
        var answer = back;
        return answer.location().orElseThrow(() -> new AssertionError(answer.status() + " " + answer.html()));
    }

    private static JsonNode idToken(String callback) {
        Map<String, String> returned = HostedLoginBrowser.query(callback);
        assertThat(returned).as(callback).containsKey("code");
        var tokens = gatehouse.postForm("/oauth/token", Map.of("grant_type", "authorization_code", "code", returned.get("code"),
                "redirect_uri", HostedLoginBrowser.REDIRECT_URI, "client_id", TestGatehouse.CLIENT_ID,
                "client_secret", TestGatehouse.CLIENT_SECRET), Map.of());
        assertThat(tokens.status()).as("%s", tokens).isEqualTo(200);
        try {
            return TestGatehouse.JSON.readTree(java.util.Base64.getUrlDecoder()
                    .decode(tokens.json().get("id_token").asText().split("\\.")[1]));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static SocialProviderStandIn.Profile github(long id, String email, boolean verified) {
        Map<String, Object> user = new LinkedHashMap<>(Map.of("id", id, "login", "octo" + id, "name", "Octo Cat",
                "avatar_url", "https://avatars.example.test/" + id));
        return new SocialProviderStandIn.Profile(user, List.of(
                Map.of("email", "noreply" + id + "@users.example.test", "primary", false, "verified", true),
                Map.of("email", email, "primary", true, "verified", verified)));
    }

    @Test
    void settingsAreWriteOnlyForTheSecretAndInvisibleToAnotherEnvironment() {
        var listed = gatehouse.get("/api/v1/social/connections", token);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain(SocialProviderStandIn.CLIENT_SECRET);
        JsonNode github = gatehouse.get("/api/v1/social/connections/github", token).json();
        assertThat(github.path("redirect_uri").asText()).isEqualTo(gatehouse.baseUrl() + "/sso/v1/social/github/callback");
        assertThat(github.path("scopes")).extracting(JsonNode::asText).containsExactly("read:user", "user:email");
        assertThat(github.path("client_secret").asText("")).isEmpty();
        var bad = gatehouse.send("PUT", "/api/v1/social/connections/myspace", token, "application/json",
                TestGatehouse.toJson(Map.of("client_id", "x", "client_secret", "y")));
        assertThat(bad.status()).isEqualTo(400);

        var other = gatehouse.createIsolatedEnvironment();
        String otherToken = gatehouse.accessToken(other);
        assertThat(gatehouse.get("/api/v1/social/connections", otherToken).json().path("connections")).isEmpty();
        assertThat(gatehouse.get("/api/v1/social/connections/github", otherToken).status()).isEqualTo(404);
        assertThat(gatehouse.send("DELETE", "/api/v1/social/connections/github", otherToken, null, null).status())
                .isEqualTo(404);
        assertThat(gatehouse.get("/api/v1/social/connections/github", token).status()).isEqualTo(200);
    }

    @Test
    void gitHubSignsInWithItsVerifiedPrimaryEmail() {
        String email = "octo-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        JsonNode id = idToken(signIn(new HostedLoginBrowser(gatehouse), "github", github(4242, email, true)));
        assertThat(id.get("sub").asText()).startsWith("usr_");
        assertThat(id.get("email").asText()).isEqualTo(email);
        assertThat(id.get("amr")).extracting(JsonNode::asText).containsExactly("github");
    }

    @Test
    void googleSignsInThroughOidcUserinfo() {
        String email = "g-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        JsonNode id = idToken(signIn(new HostedLoginBrowser(gatehouse), "google", new SocialProviderStandIn.Profile(
                Map.of("sub", "1098", "email", email, "email_verified", true, "name", "Grace Hopper",
                        "given_name", "Grace", "family_name", "Hopper"), List.of())));
        assertThat(id.get("email").asText()).isEqualTo(email);
        assertThat(id.get("amr")).extracting(JsonNode::asText).containsExactly("google");
        // R-SSO-87: the same normalized profile as SSO, with a social identity that belongs to no organization.
        assertThat(id.path("identities").size()).as("%s", id).isEqualTo(1);
        JsonNode identity = id.path("identities").get(0);
        assertThat(identity.path("social").isBoolean()).isTrue();
        assertThat(identity.path("social").asBoolean()).isTrue();
        assertThat(identity.path("connection_id").asText()).isEqualTo("google");
        assertThat(identity.path("provider_name").asText()).isEqualTo("GOOGLE");
        assertThat(identity.has("organization_id")).isFalse();
        assertThat(identity.path("provider_raw_attributes").path("sub").asText()).isEqualTo("1098");
        assertThat(identity.path("provider_raw_attributes").path("name").asText()).isEqualTo("Grace Hopper");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"microsoft", "gitlab", "linkedin", "salesforce"})
    void everyOidcUserinfoProviderSignsInThroughItsOverriddenEndpoints(String name) {
        configure(name, provider.baseUrl() + "/userinfo", SocialProviderStandIn.CLIENT_SECRET);
        String email = name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";

        JsonNode id = idToken(signIn(new HostedLoginBrowser(gatehouse), name, new SocialProviderStandIn.Profile(
                Map.of("sub", name + "-" + email, "email", email, "email_verified", true, "name", "Ada Lovelace",
                        "given_name", "Ada", "family_name", "Lovelace"), List.of())));

        assertThat(id.get("sub").asText()).startsWith("usr_");
        assertThat(id.get("email").asText()).isEqualTo(email);
        assertThat(id.get("amr")).extracting(JsonNode::asText).containsExactly(name);
    }

    @Test
    void aVerifiedEmailLinksTheSecondProviderToTheSameUser() {
        String email = "linked-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        JsonNode first = idToken(signIn(new HostedLoginBrowser(gatehouse), "google", new SocialProviderStandIn.Profile(
                Map.of("sub", "g-" + email, "email", email, "email_verified", true), List.of())));

        JsonNode second = idToken(signIn(new HostedLoginBrowser(gatehouse), "github", github(9191, email, true)));

        String userId = first.get("sub").asText();
        assertThat(userId).startsWith("usr_");
        assertThat(second.get("sub").asText()).as("the same user, not a second one").isEqualTo(userId);
        assertThat(second.get("amr")).extracting(JsonNode::asText).containsExactly("github");
        List<String> linked = gatehouse.wiring.database.jdbi().withHandle(h -> h.createQuery(
                        "select provider_name from user_identities where user_id = :user order by provider_name")
                .bind("user", userId).mapTo(String.class).list());
        assertThat(linked).as("one identity per provider, both on the user").containsExactly("GITHUB", "GOOGLE");
    }

    @Test
    void anUnverifiedEmailDoesNotTakeOverAnExistingUser() {
        String email = "taken-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        idToken(signIn(new HostedLoginBrowser(gatehouse), "google", new SocialProviderStandIn.Profile(
                Map.of("sub", "g-" + email, "email", email, "email_verified", true), List.of())));
        long mark = gatehouse.auditMark();
        String refused = signIn(new HostedLoginBrowser(gatehouse), "github", github(777, email, false));
        assertThat(HostedLoginBrowser.query(refused)).containsEntry("error", "access_denied").doesNotContainKey("code");
        assertThat(gatehouse.auditSince(mark, "login.federation.rejected")).singleElement()
                .satisfies(row -> assertThat(row.reason().orElseThrow()).contains("not linked"));
    }

    @Test
    void aWrongClientSecretOrAMissingProfileFailsTheSignInAndAnUnknownStateIsRefused() {
        configure("gitlab", provider.baseUrl() + "/userinfo", "not-the-secret");
        long mark = gatehouse.auditMark();
        String failed = signIn(new HostedLoginBrowser(gatehouse), "gitlab", new SocialProviderStandIn.Profile(
                Map.of("sub", "gl-1", "email", "gl@example.test", "email_verified", true), List.of()));
        assertThat(HostedLoginBrowser.query(failed)).containsEntry("error", "failed_to_exchange_token")
                .containsEntry("state", "s-gitlab");
        assertThat(gatehouse.auditSince(mark, "login.federation.rejected")).singleElement().satisfies(row -> {
            assertThat(row.reason().orElseThrow()).startsWith("failed_to_exchange_token");
            assertThat(row.reasonCode()).contains("failed_to_exchange_token");
            assertThat(row.attributes()).contains("\"step\":\"token_exchange\"")
                    .contains("\"error\":\"failed_to_exchange_token\"");
        });

        configure("linkedin", provider.baseUrl() + "/no-such-userinfo", SocialProviderStandIn.CLIENT_SECRET);
        long beforeUserinfo = gatehouse.auditMark();
        String noProfile = signIn(new HostedLoginBrowser(gatehouse), "linkedin", new SocialProviderStandIn.Profile(
                Map.of("sub", "li-1", "email", "li@example.test", "email_verified", true), List.of()));
        assertThat(HostedLoginBrowser.query(noProfile)).containsEntry("error", "user_info_retrieve_failed");
        assertThat(gatehouse.auditSince(beforeUserinfo, "login.federation.rejected")).singleElement().satisfies(row -> {
            assertThat(row.reason().orElseThrow()).startsWith("user_info_retrieve_failed");
            assertThat(row.reasonCode()).contains("user_info_retrieve_failed");
            assertThat(row.attributes()).contains("\"step\":\"userinfo\"");
        });

        var forged = new HostedLoginBrowser(gatehouse).open("/sso/v1/social/github/callback?code=x&state=login_forged");
        assertThat(forged.status()).isEqualTo(400);
        var huge = new HostedLoginBrowser(gatehouse).open("/sso/v1/social/github/callback?state=" + "a".repeat(5000));
        assertThat(huge.status()).isBetween(400, 499);
    }
}
