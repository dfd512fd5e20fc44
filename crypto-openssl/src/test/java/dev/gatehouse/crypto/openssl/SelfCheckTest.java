package dev.gatehouse.crypto.openssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import org.junit.jupiter.api.Test;

/** The self-check's verdicts, with stand-in libraries (the real one is exercised by OpenSslIT). */
class SelfCheckTest {
    @Test
    void aLibraryThatSignsLikeTheJdkPasses() {
        assertThat(SelfCheck.compareWithJdk(new JdkBackedLibrary(false))).isEmpty();
    }

    @Test
    void aSignatureThatDiffersFromTheJdksDisqualifiesTheLibrary() {
        assertThat(SelfCheck.compareWithJdk(new JdkBackedLibrary(true)))
                .hasValueSatisfying(reason -> assertThat(reason).contains("differs from the JDK's"));
    }

    @Test
    void aLibraryThatAcceptsATamperedSignatureIsDisqualified() {
        LibCrypto lenient = new JdkBackedLibrary(false) {
            @Override
            public OpenSslRsaPublicKey importRsaPublicKey(byte[] spkiDer) throws OpenSslException {
                OpenSslRsaPublicKey real = super.importRsaPublicKey(spkiDer);
                return new OpenSslRsaPublicKey() {
                    @Override
                    public int modulusBits() {
                        return real.modulusBits();
                    }

                    @Override
                    public boolean verifySha256(byte[] data, byte[] signature) {
                        return true;
                    }

                    @Override
                    public void close() {}
                };
            }
        };
        assertThat(SelfCheck.compareWithJdk(lenient)).hasValue("it accepts an RS256 signature with a flipped bit");
    }

    @Test
    void aLibraryThatFailsToImportIsDisqualifiedWithItsReason() {
        LibCrypto failing = new JdkBackedLibrary(false) {
            @Override
            public OpenSslRsaKey importRsaPrivateKey(byte[] pkcs8Der) throws OpenSslException {
                throw new OpenSslException("d2i_AutoPrivateKey failed: error:1E08010C:DECODER routines::unsupported");
            }
        };
        assertThat(SelfCheck.compareWithJdk(failing)).hasValue("d2i_AutoPrivateKey failed: error:1E08010C:DECODER routines::unsupported");
    }

    @Test
    void theKnownAnswerKeyIsAnRsa2048Key() throws Exception {
        java.security.interfaces.RSAPrivateCrtKey key = (java.security.interfaces.RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(SelfCheck.knownAnswerKey()));
        assertThat(key.getModulus().bitLength()).isEqualTo(2048);
    }

    /** Signs with the JDK, optionally corrupting the last byte. */
    /** Signs and verifies with the JDK; {@code corrupt} flips the last byte of every signature. */
    static class JdkBackedLibrary implements LibCrypto {
        private final boolean corrupt;

        JdkBackedLibrary(boolean corrupt) {
            this.corrupt = corrupt;
        }

        @Override
        public String library() {
            return "jdk-backed";
        }

        @Override
        public String version() {
            return "test";
        }

        @Override
        public int liveKeys() {
            return 0;
        }

        @Override
        public OpenSslRsaPublicKey importRsaPublicKey(byte[] spkiDer) throws OpenSslException {
            java.security.PublicKey key;
            try {
                key = KeyFactory.getInstance("RSA").generatePublic(new java.security.spec.X509EncodedKeySpec(spkiDer));
            } catch (java.security.GeneralSecurityException e) {
                throw new OpenSslException(e.toString());
            }
            return new OpenSslRsaPublicKey() {
                @Override
                public int modulusBits() {
                    return ((java.security.interfaces.RSAPublicKey) key).getModulus().bitLength();
                }

                @Override
                public boolean verifySha256(byte[] data, byte[] signature) throws OpenSslException {
                    try {
                        Signature verifier = Signature.getInstance("SHA256withRSA");
                        verifier.initVerify(key);
                        verifier.update(data);
                        return verifier.verify(signature);
                    } catch (java.security.GeneralSecurityException e) {
                        throw new OpenSslException(e.toString());
                    }
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public OpenSslRsaKey importRsaPrivateKey(byte[] pkcs8Der) throws OpenSslException {
            PrivateKey key;
            try {
                key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8Der));
            } catch (java.security.GeneralSecurityException e) {
                throw new OpenSslException(e.toString());
            }
            return new OpenSslRsaKey() {
                @Override
                public int modulusBits() {
                    return 2048;
                }

                @Override
                public byte[] signSha256(byte[] data) throws OpenSslException {
                    try {
                        Signature signature = Signature.getInstance("SHA256withRSA");
                        signature.initSign(key);
                        signature.update(data);
                        byte[] bytes = signature.sign();
                        if (corrupt) {
                            bytes[bytes.length - 1] ^= 1;
                        }
                        return bytes;
                    } catch (java.security.GeneralSecurityException e) {
                        throw new OpenSslException(e.toString());
                    }
                }

                @Override
                public void close() {}
            };
        }
    }
}
