package dev.gatehouse.core.credential;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretHashTest {
    private static final String SECRET = "gsk_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5";

    @Test
    void ofWhenKnownInputThenLowercaseSha256Hex() {
        // FIPS 180-2 test vector.
        assertThat(SecretHash.of("abc").hex())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void ofWhenNonAsciiInputThenHashesUtf8Bytes() {
        // SHA-256 of the UTF-8 bytes c3 a9 ("é").
        assertThat(SecretHash.of("\u00e9").hex())
                .isEqualTo("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
    }

    @Test
    void matchesWhenSameSecretThenTrue() {
        assertThat(SecretHash.of(SECRET).matches(SECRET)).isTrue();
    }

    @Test
    void matchesWhenHashRestoredFromStoredHexThenTrue() {
        SecretHash stored = new SecretHash(SecretHash.of(SECRET).hex());

        assertThat(stored.matches(SECRET)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "gsk_", "GSK_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5",
            "gsk_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5 ", "gsk_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx"})
    void matchesWhenDifferentSecretThenFalse(String presented) {
        assertThat(SecretHash.of(SECRET).matches(presented)).isFalse();
    }

    @Test
    void matchesWhenPresentedValueIsTheHashItselfThenFalse() {
        SecretHash hash = SecretHash.of(SECRET);

        assertThat(hash.matches(hash.hex())).isFalse();
    }

    @Test
    void toStringWhenPrintedThenRedacted() {
        SecretHash hash = SecretHash.of(SECRET);

        assertThat(hash.toString()).contains("redacted").doesNotContain(hash.hex()).doesNotContain(SECRET);
    }

    @Test
    void toStringWhenInsideClientSecretThenHashStaysRedacted() {
        SecretHash hash = SecretHash.of(SECRET);
        ClientSecret stored = new ClientSecret("sks_1", "skc_1", hash, "gply", Instant.EPOCH);

        assertThat(stored.toString()).doesNotContain(hash.hex()).doesNotContain(SECRET);
    }
}
