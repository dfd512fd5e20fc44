package dev.gatehouse.core.client;

import static dev.gatehouse.core.environment.EnvironmentType.DEVELOPMENT;
import static dev.gatehouse.core.environment.EnvironmentType.PRODUCTION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.environment.EnvironmentType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** spec-sso §8.1: each registration rule with its documented code, and wildcard matching. */
class RedirectUriRulesTest {
    private static Optional<String> code(String uri, EnvironmentType type, boolean wildcards) {
        return RedirectUriRules.check(uri, type, wildcards).map(v -> v.error().code());
    }

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({
            "https://app.example.com/callback, DEVELOPMENT",
            "https://app.example.com/callback, PRODUCTION",
            "http://app.example.com/callback, DEVELOPMENT",
            "http://localhost:3000/callback, DEVELOPMENT",
            "http://127.0.0.1:8080/cb, DEVELOPMENT",
            "https://*.acmecorp.com/callback, DEVELOPMENT",
            "https://auth-*.acmecorp.com/callback, DEVELOPMENT",
            "https://*.auth.acmecorp.com/callback, DEVELOPMENT",
            "https://app.example.com, PRODUCTION",
            "HTTPS://App.Example.com:8443/a/b, PRODUCTION",
    })
    void checkWhenUriFollowsTheRulesThenAccepted(String uri, EnvironmentType type) {
        assertThat(code(uri, type, true)).isEmpty();
    }

    @ParameterizedTest(name = "{0} in {1} -> {2}")
    @CsvSource({
            "https://app.example.com/cb?x=1, DEVELOPMENT, query_parameters_not_allowed",
            "https://app.example.com/cb?, PRODUCTION, query_parameters_not_allowed",
            "https://app.example.com/cb#top, DEVELOPMENT, fragment_not_allowed",
            "https://app.example.com/cb#, PRODUCTION, fragment_not_allowed",
            "http://app.example.com/cb, PRODUCTION, http_not_allowed",
            "https://localhost/cb, PRODUCTION, localhost_not_allowed",
            "https://localhost:8443/cb, PRODUCTION, localhost_not_allowed",
            "https://app.localhost/cb, PRODUCTION, localhost_not_allowed",
            "https://127.0.0.1/cb, PRODUCTION, localhost_not_allowed",
            "https://[::1]/cb, PRODUCTION, localhost_not_allowed",
            "https://*.acmecorp.com/cb, PRODUCTION, wildcard_not_allowed",
            "https://*.com/cb, DEVELOPMENT, invalid_wildcard_usage",
            "https://*.*.acmecorp.com/cb, DEVELOPMENT, invalid_wildcard_usage",
            "https://acmecorp.*.com/cb, DEVELOPMENT, invalid_wildcard_usage",
            "https://auth.*.acmecorp.com/cb, DEVELOPMENT, invalid_wildcard_usage",
            "https://app.acmecorp.com/*, DEVELOPMENT, invalid_wildcard_usage",
            "not a uri, DEVELOPMENT, invalid_uri_format",
            "/relative/callback, DEVELOPMENT, invalid_uri_format",
            "ftp://app.example.com/cb, DEVELOPMENT, invalid_uri_format",
            "myapp://callback, PRODUCTION, invalid_uri_format",
            "javascript:alert(1), DEVELOPMENT, invalid_uri_format",
            "https:///cb, DEVELOPMENT, invalid_uri_format",
            "https://user:pw@app.example.com/cb, DEVELOPMENT, invalid_redirect_uri",
    })
    void checkWhenUriBreaksARuleThenItsDocumentedCode(String uri, EnvironmentType type, String expected) {
        assertThat(code(uri, type, true)).contains(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"DEVELOPMENT", "PRODUCTION"})
    void checkWhenLongerThan256ThenUriTooLong(EnvironmentType type) {
        String base = "https://app.example.com/";
        assertThat(code(base + "a".repeat(256 - base.length()), type, true)).isEmpty();
        assertThat(code(base + "a".repeat(257 - base.length()), type, true)).contains("uri_too_long");
    }

    @ParameterizedTest(name = "[{index}] blank")
    @CsvSource({"'', invalid_uri_format", "'   ', invalid_uri_format"})
    void checkWhenBlankThenInvalidFormat(String uri, String expected) {
        assertThat(code(uri, DEVELOPMENT, true)).contains(expected);
        assertThat(code(null, DEVELOPMENT, true)).contains("invalid_uri_format");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"DEVELOPMENT", "PRODUCTION"})
    void checkWhenListTakesNoWildcardsThenWildcardNotAllowed(EnvironmentType type) {
        assertThat(code("https://*.acmecorp.com/logout", type, false)).contains("wildcard_not_allowed");
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "https://*.acmecorp.com/cb, https://app.acmecorp.com/cb, true",
            "https://*.acmecorp.com/cb, https://APP.AcmeCorp.com/cb, true",
            "https://*.acmecorp.com/cb, https://a-b-c.acmecorp.com/cb, true",
            "https://*.acmecorp.com/cb, https://acmecorp.com/cb, false",
            "https://*.acmecorp.com/cb, https://x.y.acmecorp.com/cb, false",
            "https://*.acmecorp.com/cb, https://app.acmecorp.com/cb/more, false",
            "https://*.acmecorp.com/cb, https://app.acmecorp.com/c, false",
            "https://*.acmecorp.com/cb, http://app.acmecorp.com/cb, false",
            "https://*.acmecorp.com/cb, https://app.acmecorp.com:8443/cb, false",
            "https://*.acmecorp.com/cb, https://app.acmecorp.com/cb?x=1, false",
            "https://*.acmecorp.com/cb, https://app.acmecorp.com/cb#f, false",
            "https://*.acmecorp.com/cb, https://evil.com@app.acmecorp.com/cb, false",
            "https://*.acmecorp.com/cb, https://app.acmecorp.com.evil.com/cb, false",
            "https://*.acmecorp.com/cb, https://evil.com/.acmecorp.com/cb, false",
            "https://*.acmecorp.com/cb, https://*.acmecorp.com/cb, false",
            "https://auth-*.acmecorp.com/cb, https://auth-pr42.acmecorp.com/cb, true",
            "https://auth-*.acmecorp.com/cb, https://auth-.acmecorp.com/cb, false",
            "https://auth-*.acmecorp.com/cb, https://other.acmecorp.com/cb, false",
            "https://*-preview.acmecorp.com/cb, https://pr1-preview.acmecorp.com/cb, true",
            "http://*.localtest.me:3000/cb, http://a.localtest.me:3000/cb, true",
    })
    void wildcardMatchesWhenComparedThenOnlyARunOfNonDotCharactersInTheFirstLabel(String pattern, String candidate,
                                                                                   boolean expected) {
        assertThat(RedirectUriRules.wildcardMatches(pattern, candidate)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void appClientWhenAskedThenExactOrWildcardForRedirectsAndExactForLogout() {
        AppClient client = new AppClient("env_1", "skc_1", true,
                List.of("https://app.example.com/cb", "https://*.preview.example.com/cb"), Optional.empty(),
                List.of("https://app.example.com/bye"), false);

        assertThat(client.acceptsRedirectUri("https://app.example.com/cb")).isTrue();
        assertThat(client.acceptsRedirectUri("https://pr7.preview.example.com/cb")).isTrue();
        assertThat(client.acceptsRedirectUri("https://app.example.com/cb/")).isFalse();
        assertThat(client.acceptsRedirectUri("https://APP.example.com/cb")).isFalse();
        assertThat(client.acceptsRedirectUri("https://evil.example.org/cb")).isFalse();
        assertThat(client.acceptsRedirectUri("")).isFalse();
        assertThat(client.acceptsRedirectUri(null)).isFalse();
        assertThat(client.acceptsPostLogoutRedirectUri("https://app.example.com/bye")).isTrue();
        assertThat(client.acceptsPostLogoutRedirectUri("https://app.example.com/bye2")).isFalse();
        assertThat(client.acceptsPostLogoutRedirectUri(null)).isFalse();
    }
}
