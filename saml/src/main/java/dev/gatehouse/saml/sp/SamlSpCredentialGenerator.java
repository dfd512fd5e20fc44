package dev.gatehouse.saml.sp;

import dev.gatehouse.core.connection.SpCredentialGenerator;
import java.time.Clock;
import java.util.Optional;

/**
 * The connections' {@link SpCredentialGenerator}: a fresh RSA-2048 key pair and self-signed certificate per SAML
 * connection from {@link SpKeyGenerator} (CN {@code Gatehouse SP <connection id>}, 10 years). The connection
 * service seals the private key before storing it (D-CN5, D-SS1).
 */
public final class SamlSpCredentialGenerator implements SpCredentialGenerator {
    private final SpKeyGenerator keys;
    private final Clock clock;

    public SamlSpCredentialGenerator(SpKeyGenerator keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public Optional<Generated> generate(String connectionId) {
        SpCredential credential = keys.generate("Gatehouse SP " + connectionId, clock.instant(),
                SpKeyGenerator.DEFAULT_VALIDITY);
        return Optional.of(new Generated(credential.certificatePem(),
                credential.certificate().getNotAfter().toInstant(), credential.privateKeyPkcs8()));
    }
}
