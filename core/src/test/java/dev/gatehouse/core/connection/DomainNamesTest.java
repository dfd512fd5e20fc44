package dev.gatehouse.core.connection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DomainNamesTest {
    @ParameterizedTest
    @CsvSource({
            "example.com, example.com",
            "Acme.COM, acme.com",
            "  sub.acme.co.uk. , sub.acme.co.uk",
            "bücher.example, xn--bcher-kva.example",
            "a-b.io, a-b.io",
            "xn--bcher-kva.example, xn--bcher-kva.example"})
    void normalizeWhenValidThenLowerCaseAscii(String raw, String expected) {
        assertThat(DomainNames.normalize(raw)).isEqualTo(new DomainNames.Result.Valid(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "com", "a.b", "-acme.com", "acme-.com", "ac me.com", "acme..com", "*.acme.com",
            "10.0.0.1", "acme.123", "user@acme.com", "acme.com/path", "gmail.com", "OUTLOOK.com",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com"})
    void normalizeWhenInvalidOrPublicThenInvalidWithReason(String raw) {
        assertThat(DomainNames.normalize(raw)).isInstanceOfSatisfying(DomainNames.Result.Invalid.class,
                invalid -> assertThat(invalid.reason()).isNotBlank());
    }

    @ParameterizedTest
    @CsvSource({"jane@Acme.com, acme.com", "\"a@b\"@corp.example, corp.example"})
    void ofEmailWhenAddressHasDomainThenNormalizedDomain(String email, String domain) {
        assertThat(DomainNames.ofEmail(email)).contains(domain);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jane", "jane@", "@acme.com", "jane@gmail.com", "jane@localhost"})
    void ofEmailWhenNoUsableDomainThenEmpty(String email) {
        assertThat(DomainNames.ofEmail(email)).isEmpty();
    }
}
