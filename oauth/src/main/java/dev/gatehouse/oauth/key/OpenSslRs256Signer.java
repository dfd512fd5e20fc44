package dev.gatehouse.oauth.key;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.impl.AlgorithmSupportMessage;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import dev.gatehouse.crypto.openssl.OpenSslException;
import dev.gatehouse.crypto.openssl.OpenSslRsaKey;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nimbus's signer interface over an OpenSSL key: Nimbus still builds the JWS and its signing input, OpenSSL
 * computes the RS256 signature. When OpenSSL fails (its reason is logged, at WARN the first time), the
 * signature is computed by {@code fallback} (Conscrypt or the JDK, same key) so the request still succeeds.
 */
final class OpenSslRs256Signer implements JWSSigner {
    private static final Logger LOG = LoggerFactory.getLogger(OpenSslRs256Signer.class);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256);

    private final OpenSslRsaKey key;
    private final JWSSigner fallback;
    private final JCAContext jcaContext = new JCAContext();
    private final AtomicBoolean failedBefore = new AtomicBoolean();

    OpenSslRs256Signer(OpenSslRsaKey key, JWSSigner fallback) {
        this.key = key;
        this.fallback = fallback;
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        if (!JWSAlgorithm.RS256.equals(header.getAlgorithm())) {
            throw new JOSEException(AlgorithmSupportMessage.unsupportedJWSAlgorithm(header.getAlgorithm(), ALGORITHMS));
        }
        try {
            return Base64URL.encode(key.signSha256(signingInput));
        } catch (OpenSslException e) {
            if (failedBefore.compareAndSet(false, true)) {
                LOG.warn("OpenSSL could not sign ({}); this key signs with the fallback provider when it fails", e.getMessage());
            } else {
                LOG.debug("OpenSSL could not sign ({}); signed with the fallback provider", e.getMessage());
            }
            return fallback.sign(header, signingInput);
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return ALGORITHMS;
    }

    @Override
    public JCAContext getJCAContext() {
        return jcaContext;
    }

    @Override
    public String toString() {
        return "OpenSslRs256Signer[" + key + "]";
    }
}
