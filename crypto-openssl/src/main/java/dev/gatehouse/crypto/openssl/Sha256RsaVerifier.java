package dev.gatehouse.crypto.openssl;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.util.Optional;

/**
 * {@link OpenSslVerifyProvider}'s SHA256withRSA: collects the signed bytes and hands them with the signature to
 * OpenSSL in one call, or to the JDK's {@code SunRsaSign} for a key OpenSSL does not take. Not thread-safe (as any
 * {@code Signature}); verification only.
 */
final class Sha256RsaVerifier extends SignatureSpi {
    private final OpenSslVerifyProvider provider;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream(1024);
    private OpenSslRsaPublicKey key;
    private Signature jdk;

    Sha256RsaVerifier(OpenSslVerifyProvider provider) {
        this.provider = provider;
    }

    @Override
    protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
        data.reset();
        key = null;
        jdk = null;
        Optional<OpenSslRsaPublicKey> imported = provider.imported(publicKey);
        if (imported.isPresent()) {
            key = imported.get();
            return;
        }
        try {
            jdk = Signature.getInstance("SHA256withRSA", "SunRsaSign");
        } catch (GeneralSecurityException e) {
            throw new InvalidKeyException("no JDK verifier for this key", e);
        }
        jdk.initVerify(publicKey);
    }

    @Override
    protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
        throw new InvalidKeyException(OpenSslVerifyProvider.NAME + " verifies only");
    }

    @Override
    protected void engineUpdate(byte b) throws SignatureException {
        if (jdk != null) {
            jdk.update(b);
        } else {
            ready();
            data.write(b);
        }
    }

    @Override
    protected void engineUpdate(byte[] bytes, int offset, int length) throws SignatureException {
        if (jdk != null) {
            jdk.update(bytes, offset, length);
        } else {
            ready();
            data.write(bytes, offset, length);
        }
    }

    @Override
    protected byte[] engineSign() throws SignatureException {
        throw new SignatureException(OpenSslVerifyProvider.NAME + " verifies only");
    }

    @Override
    protected boolean engineVerify(byte[] signature) throws SignatureException {
        if (jdk != null) {
            return jdk.verify(signature);
        }
        ready();
        try {
            return key.verifySha256(data.toByteArray(), signature);
        } catch (OpenSslException e) {
            throw new SignatureException(e.getMessage(), e);
        } finally {
            data.reset();
        }
    }

    private void ready() throws SignatureException {
        if (key == null) {
            throw new SignatureException("not initialized for verification");
        }
    }

    @Override
    @Deprecated
    protected void engineSetParameter(String param, Object value) {
        throw new InvalidParameterException("no parameters");
    }

    @Override
    @Deprecated
    protected Object engineGetParameter(String param) {
        throw new InvalidParameterException("no parameters");
    }
}
