package dev.gatehouse.core.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretSealerTest {
    private static final String PURPOSE = "signing-key:env_1:snk_1";
    private static final byte[] PLAINTEXT = "-----a private key, say-----".getBytes(StandardCharsets.UTF_8);

    private static byte[] key(int seed) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (seed * 31 + i);
        }
        return key;
    }

    @Test
    void openWhenSealedWithSameKeyAndPurposeThenReturnsPlaintext() {
        SecretSealer sealer = new SecretSealer(key(1));

        byte[] sealed = sealer.seal(PLAINTEXT, PURPOSE);

        assertThat(sealer.open(sealed, PURPOSE)).isEqualTo(PLAINTEXT);
        assertThat(new SecretSealer(key(1)).open(sealed, PURPOSE)).isEqualTo(PLAINTEXT);
    }

    @Test
    void openWhenPlaintextEmptyThenRoundTrips() {
        SecretSealer sealer = new SecretSealer(key(1));

        assertThat(sealer.open(sealer.seal(new byte[0], PURPOSE), PURPOSE)).isEmpty();
    }

    @Test
    void sealWhenCalledThenVersionNonceCiphertextAndTagWithoutPlaintext() {
        byte[] sealed = new SecretSealer(key(1)).seal(PLAINTEXT, PURPOSE);

        assertThat(sealed[0]).isEqualTo((byte) 1);
        assertThat(sealed).hasSize(1 + 12 + PLAINTEXT.length + 16);
        assertThat(indexOf(sealed, Arrays.copyOfRange(PLAINTEXT, 0, 8))).isEqualTo(-1);
    }

    @Test
    void sealWhenSameInputTwiceThenDifferentOutputsThatBothOpen() {
        SecretSealer sealer = new SecretSealer(key(1));

        byte[] first = sealer.seal(PLAINTEXT, PURPOSE);
        byte[] second = sealer.seal(PLAINTEXT, PURPOSE);

        assertThat(first).isNotEqualTo(second);
        assertThat(Arrays.copyOfRange(first, 1, 13)).isNotEqualTo(Arrays.copyOfRange(second, 1, 13));
        assertThat(sealer.open(first, PURPOSE)).isEqualTo(PLAINTEXT);
        assertThat(sealer.open(second, PURPOSE)).isEqualTo(PLAINTEXT);
    }

    @Test
    void openWhenAnySingleBitFlippedThenSealedValueException() {
        SecretSealer sealer = new SecretSealer(key(1));
        byte[] sealed = sealer.seal(PLAINTEXT, PURPOSE);

        for (int index = 0; index < sealed.length; index++) {
            for (int bit = 0; bit < 8; bit += 7) {
                byte[] tampered = sealed.clone();
                tampered[index] ^= (byte) (1 << bit);
                int position = index;
                assertThatThrownBy(() -> sealer.open(tampered, PURPOSE))
                        .as("bit %d of byte %d flipped", bit, position)
                        .isInstanceOf(SecretSealer.SealedValueException.class);
            }
        }
    }

    @Test
    void openWhenTruncatedOrExtendedThenSealedValueException() {
        SecretSealer sealer = new SecretSealer(key(1));
        byte[] sealed = sealer.seal(PLAINTEXT, PURPOSE);

        assertThatThrownBy(() -> sealer.open(Arrays.copyOf(sealed, sealed.length - 1), PURPOSE))
                .isInstanceOf(SecretSealer.SealedValueException.class);
        assertThatThrownBy(() -> sealer.open(Arrays.copyOf(sealed, sealed.length + 1), PURPOSE))
                .isInstanceOf(SecretSealer.SealedValueException.class);
        assertThatThrownBy(() -> sealer.open(Arrays.copyOf(sealed, 1 + 12 + 15), PURPOSE))
                .isInstanceOf(SecretSealer.SealedValueException.class);
        assertThatThrownBy(() -> sealer.open(new byte[0], PURPOSE))
                .isInstanceOf(SecretSealer.SealedValueException.class);
    }

    @Test
    void openWhenPlaintextPassedInsteadOfSealedValueThenSealedValueException() {
        SecretSealer sealer = new SecretSealer(key(1));
        byte[] unsealed = new byte[64];
        unsealed[0] = 1;

        assertThatThrownBy(() -> sealer.open(unsealed, PURPOSE)).isInstanceOf(SecretSealer.SealedValueException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "signing-key:env_1:snk_2", "signing-key:env_2:snk_1", "SIGNING-KEY:env_1:snk_1",
            "signing-key:env_1:snk_1 "})
    void openWhenAssociatedDataDiffersThenSealedValueException(String otherPurpose) {
        SecretSealer sealer = new SecretSealer(key(1));
        byte[] sealed = sealer.seal(PLAINTEXT, PURPOSE);

        assertThatThrownBy(() -> sealer.open(sealed, otherPurpose))
                .isInstanceOf(SecretSealer.SealedValueException.class);
    }

    @Test
    void openWhenSealedUnderAnotherMasterKeyThenSealedValueException() {
        byte[] sealed = new SecretSealer(key(1)).seal(PLAINTEXT, PURPOSE);

        assertThatThrownBy(() -> new SecretSealer(key(2)).open(sealed, PURPOSE))
                .isInstanceOf(SecretSealer.SealedValueException.class)
                .hasMessageContaining("master key");
    }

    @Test
    void openWhenCallerMutatesKeyArrayAfterConstructionThenStillOpens() {
        byte[] masterKey = key(1);
        SecretSealer sealer = new SecretSealer(masterKey);
        byte[] sealed = sealer.seal(PLAINTEXT, PURPOSE);

        Arrays.fill(masterKey, (byte) 0);

        assertThat(sealer.open(sealed, PURPOSE)).isEqualTo(PLAINTEXT);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 16, 24, 31, 33, 64})
    void constructorWhenKeyNotThirtyTwoBytesThenRefused(int length) {
        assertThatThrownBy(() -> new SecretSealer(new byte[length]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
    }

    @Test
    void constructorWhenKeyThirtyTwoBytesThenAccepted() {
        assertThatCode(() -> new SecretSealer(new byte[32])).doesNotThrowAnyException();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
