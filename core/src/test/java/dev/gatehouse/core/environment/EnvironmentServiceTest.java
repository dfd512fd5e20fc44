package dev.gatehouse.core.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The pure part of EnvironmentService; creation against a real database is tested in the store module. */
class EnvironmentServiceTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://auth.example.com|https://auth.example.com",
            "https://auth.example.com/|https://auth.example.com",
            "https://auth.example.com///|https://auth.example.com",
            "'  https://auth.example.com/  '|https://auth.example.com",
            "http://127.0.0.1:8080|http://127.0.0.1:8080",
            "http://127.0.0.1:8080/|http://127.0.0.1:8080",
            "https://example.com/tenants/acme/|https://example.com/tenants/acme",
            "https://Auth.Example.com|https://Auth.Example.com",
            "http://[::1]:8080/|http://[::1]:8080",
    })
    void normalizeIssuerWhenAbsoluteHttpUrlThenTrailingSlashesAndSpaceRemovedOtherwiseAsWritten(
            String input, String expected) {
        assertThat(EnvironmentService.normalizeIssuer(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "/", "auth.example.com", "/relative/path", "ftp://auth.example.com",
            "mailto:admin@example.com", "https://", "https:///", "http:auth.example.com", "https://exa mple.com",
            "file:///etc/passwd", "urn:example:issuer"})
    void normalizeIssuerWhenNotAbsoluteHttpUrlThenIllegalArgument(String input) {
        assertThatThrownBy(() -> EnvironmentService.normalizeIssuer(input))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://auth.example.com", "https://auth.example.com/", "http://localhost:9000//"})
    void normalizeIssuerWhenAppliedTwiceThenSameAsOnce(String input) {
        String once = EnvironmentService.normalizeIssuer(input);

        assertThat(EnvironmentService.normalizeIssuer(once)).isEqualTo(once);
    }
}
