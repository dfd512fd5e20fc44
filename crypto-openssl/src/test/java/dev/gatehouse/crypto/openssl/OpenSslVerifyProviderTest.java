package dev.gatehouse.crypto.openssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

/** The provider's JCA behaviour, over a JDK-backed stand-in library (OpenSslIT uses the real one). */
class OpenSslVerifyProviderTest {
    private static final byte[] DATA = "<ds:SignedInfo>…</ds:SignedInfo>".getBytes(StandardCharsets.UTF_8);

    @Test
    void verifiesGoodSignaturesAndRefusesTamperedOnes() throws Exception {
        OpenSslVerifyProvider provider = new OpenSslVerifyProvider(new SelfCheckTest.JdkBackedLibrary(false));
        KeyPair rsa = rsa(2048);
        byte[] signature = sign(rsa, DATA);

        assertThat(verify(provider, rsa, DATA, signature)).isTrue();
        byte[] tampered = signature.clone();
        tampered[0] ^= 1;
        assertThat(verify(provider, rsa, DATA, tampered)).isFalse();
        assertThat(verify(provider, rsa, "other".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
        assertThat(verify(provider, rsa(2048), DATA, signature)).isFalse();
        assertThat(provider.rememberedKeys()).isEqualTo(2);
    }

    @Test
    void aKeyOpenSslDoesNotTakeIsVerifiedByTheJdk() throws Exception {
        LibCrypto refusing = new SelfCheckTest.JdkBackedLibrary(false) {
            @Override
            public OpenSslRsaPublicKey importRsaPublicKey(byte[] spkiDer) throws OpenSslException {
                throw new OpenSslException("d2i_PUBKEY failed");
            }
        };
        OpenSslVerifyProvider provider = new OpenSslVerifyProvider(new SelfCheckTest.JdkBackedLibrary(false));
        OpenSslVerifyProvider refusingProvider = new OpenSslVerifyProvider(refusing);
        KeyPair rsa = rsa(2048);
        byte[] signature = sign(rsa, DATA);
        assertThat(verify(refusingProvider, rsa, DATA, signature)).isTrue();
        byte[] tampered = signature.clone();
        tampered[5] ^= 1;
        assertThat(verify(refusingProvider, rsa, DATA, tampered)).isFalse();

        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        Signature wrongType = Signature.getInstance("SHA256withRSA", provider);
        assertThatThrownBy(() -> wrongType.initVerify(ec.generateKeyPair().getPublic())).isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void signingIsNotOffered() throws Exception {
        OpenSslVerifyProvider provider = new OpenSslVerifyProvider(new SelfCheckTest.JdkBackedLibrary(false));
        Signature signature = Signature.getInstance("SHA256withRSA", provider);
        assertThatThrownBy(() -> signature.initSign(rsa(2048).getPrivate())).isInstanceOf(InvalidKeyException.class);
    }

    static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    static byte[] sign(KeyPair pair, byte[] data) throws Exception {
        Signature signature = Signature.getInstance("SHA256withRSA", "SunRsaSign");
        signature.initSign(pair.getPrivate());
        signature.update(data);
        return signature.sign();
    }

    static boolean verify(OpenSslVerifyProvider provider, KeyPair pair, byte[] data, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance("SHA256withRSA", provider);
        verifier.initVerify(pair.getPublic());
        verifier.update(data, 0, data.length);
        return verifier.verify(signature);
    }
}
