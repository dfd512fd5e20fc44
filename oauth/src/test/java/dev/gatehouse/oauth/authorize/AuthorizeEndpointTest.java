package dev.gatehouse.oauth.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.client.AppClient;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.login.AuthorizeRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthorizeEndpointTest {
    private static final Environment ENV = new Environment("env_1", "dev", "https://auth.example.test", Instant.EPOCH);
    private static final String REDIRECT = "https://app.example.test/callback";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private final AuthorizeEndpoint endpoint = new AuthorizeEndpoint((env, id) -> env.equals("env_1") && id.equals("skc_1")
            ? Optional.of(new AppClient("env_1", "skc_1", true, List.of(REDIRECT), Optional.empty(), List.of(), false))
            : Optional.empty());

    private static Map<String, List<String>> query(String... pairs) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("response_type", List.of("code"));
        query.put("client_id", List.of("skc_1"));
        query.put("redirect_uri", List.of(REDIRECT));
        query.put("scope", List.of("openid email"));
        query.put("state", List.of("s-1"));
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                query.remove(pairs[i]);
            } else {
                query.put(pairs[i], List.of(pairs[i + 1]));
            }
        }
        return query;
    }

    @Test
    void aCompleteRequestIsParsedIntoTypedFields() {
        var decision = endpoint.check(ENV, query("code_challenge", CHALLENGE, "code_challenge_method", "S256",
                "nonce", "n-1", "prompt", "login create", "login_hint", "ann@acme.test", "organization_id", "org_1",
                "domain_hint", "ACME.test", "provider", "Google", "scope", "openid profile email offline_access"));

        assertThat(decision).isInstanceOf(AuthorizeDecision.Valid.class);
        AuthorizeRequest request = ((AuthorizeDecision.Valid) decision).request();
        assertThat(request.scopes()).containsExactly("openid", "profile", "email", "offline_access");
        assertThat(request.wantsRefreshToken()).isTrue();
        assertThat(request.prompt()).containsExactlyInAnyOrder("login", "create");
        assertThat(request.codeChallenge()).contains(CHALLENGE);
        assertThat(request.domain()).contains("acme.test");
        assertThat(request.provider()).contains("google");
        assertThat(request.organizationId()).contains("org_1");
        assertThat(AuthorizeRequest.fromMap(request.toMap())).isEqualTo(request);
    }

    @ParameterizedTest
    @CsvSource({
            "client_id,skc_unknown", "client_id,", "redirect_uri,https://evil.example.test/callback",
            "redirect_uri,https://app.example.test/callback?x=1", "redirect_uri,"})
    void anUntrustworthyClientOrRedirectUriGetsAnErrorPageNeverARedirect(String name, String value) {
        assertThat(endpoint.check(ENV, query(name, value))).isInstanceOf(AuthorizeDecision.ErrorPage.class);
    }

    @ParameterizedTest
    @CsvSource({
            "response_type,token,unsupported_response_type",
            "response_type,,invalid_request",
            "scope,profile email,invalid_scope",
            "scope,openid admin,invalid_scope",
            "code_challenge_method,plain,invalid_request",
            "prompt,sometimes,invalid_request"})
    void otherErrorsGoBackToTheClientWithStateAndIssuer(String name, String value, String error) {
        Map<String, List<String>> query = query(name, value);
        if (name.equals("code_challenge_method")) {
            query.put("code_challenge", List.of(CHALLENGE));
        }
        var decision = endpoint.check(ENV, query);

        assertThat(decision).isInstanceOf(AuthorizeDecision.RedirectError.class);
        var redirect = ((AuthorizeDecision.RedirectError) decision).redirect();
        assertThat(redirect.redirectUri()).isEqualTo(REDIRECT);
        assertThat(redirect.parameters()).containsEntry("error", error).containsEntry("state", "s-1")
                .containsEntry("iss", ENV.issuerUrl()).containsKey("error_description");
        assertThat(redirect.toUrl()).startsWith(REDIRECT + "?error=" + error + "&");
    }

    @Test
    void aClientThatEnforcesPkceRefusesRequestsWithoutAChallenge() {
        AuthorizeEndpoint strict = new AuthorizeEndpoint((env, id) -> Optional.of(
                new AppClient("env_1", "skc_1", false, List.of(REDIRECT), Optional.empty(), List.of(), true)));

        var decision = strict.check(ENV, query());

        assertThat(decision).isInstanceOf(AuthorizeDecision.RedirectError.class);
        assertThat(((AuthorizeDecision.RedirectError) decision).redirect().parameters()).containsEntry("error", "invalid_request");
        assertThat(strict.check(ENV, query("code_challenge", CHALLENGE, "code_challenge_method", "S256")))
                .isInstanceOf(AuthorizeDecision.Valid.class);
    }

    @Test
    void repeatedAndOversizedParametersAreRefused() {
        Map<String, List<String>> repeated = query();
        repeated.put("redirect_uri", List.of(REDIRECT, REDIRECT));
        assertThat(endpoint.check(ENV, repeated)).isInstanceOf(AuthorizeDecision.ErrorPage.class);

        Map<String, List<String>> repeatedScope = query();
        repeatedScope.put("scope", List.of("openid", "openid email"));
        assertThat(endpoint.check(ENV, repeatedScope)).isInstanceOf(AuthorizeDecision.RedirectError.class);

        assertThat(endpoint.check(ENV, query("nonce", "n".repeat(513)))).isInstanceOf(AuthorizeDecision.RedirectError.class);
        assertThat(endpoint.check(ENV, query("state", "s".repeat(1025)))).isInstanceOf(AuthorizeDecision.RedirectError.class);
        assertThat(endpoint.check(ENV, query("login_hint", "a".repeat(3000)))).isInstanceOf(AuthorizeDecision.RedirectError.class);
    }
}
