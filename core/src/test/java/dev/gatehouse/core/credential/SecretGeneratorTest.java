package dev.gatehouse.core.credential;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretGeneratorTest {
    @Test
    void nextWhenCalledThenPrefixAnd256RandomBitsInBase64Url() {
        String secret = new SecretGenerator().next(EnvironmentClientService.SECRET_PREFIX);

        assertThat(secret).startsWith("gsk_");
        String encoded = secret.substring("gsk_".length());
        assertThat(encoded).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(encoded)).hasSize(32);
    }

    @Test
    void nextWhenCalledRepeatedlyThenNoRepeats() {
        SecretGenerator generator = new SecretGenerator();
        Set<String> seen = new HashSet<>();

        for (int i = 0; i < 10_000; i++) {
            seen.add(generator.next("x_"));
        }

        assertThat(seen).hasSize(10_000);
    }

    @Test
    void issuedCredentialsToStringWhenPrintedThenSecretRedacted() {
        String secret = new SecretGenerator().next("gsk_");
        IssuedCredentials credentials = new IssuedCredentials(
                new EnvironmentClient("skc_1", "env_1", "default", Instant.EPOCH), secret);

        assertThat(credentials.toString()).contains("skc_1").contains("redacted").doesNotContain(secret);
    }
}
