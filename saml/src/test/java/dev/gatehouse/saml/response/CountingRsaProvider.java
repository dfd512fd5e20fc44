package dev.gatehouse.saml.response;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the app's OpenSSL provider: SHA256withRSA verification by the JDK, counting the signature values
 * it checked, so a test can tell that the validator handed RSA-SHA256 to the provider it was given.
 */
final class CountingRsaProvider extends Provider {
    final AtomicInteger verifications = new AtomicInteger();

    CountingRsaProvider() {
        super("CountingRsa", "1.0", "SHA256withRSA verification by the JDK, counted");
        putService(new Service(this, "Signature", "SHA256withRSA", Counting.class.getName(), List.of(), Map.of()) {
            @Override
            public Object newInstance(Object parameter) {
                return new Counting(verifications);
            }
        });
    }

    private static final class Counting extends SignatureSpi {
        private final AtomicInteger verifications;
        private final Signature jdk;

        Counting(AtomicInteger verifications) {
            this.verifications = verifications;
            try {
                this.jdk = Signature.getInstance("SHA256withRSA", "SunRsaSign");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
            jdk.initVerify(publicKey);
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            throw new InvalidKeyException("verification only");
        }

        @Override
        protected void engineUpdate(byte b) throws SignatureException {
            jdk.update(b);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
            jdk.update(b, off, len);
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            throw new SignatureException("verification only");
        }

        @Override
        protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
            verifications.incrementAndGet();
            return jdk.verify(sigBytes);
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new UnsupportedOperationException();
        }
    }
}
