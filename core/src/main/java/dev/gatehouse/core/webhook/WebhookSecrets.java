package dev.gatehouse.core.webhook;

import dev.gatehouse.core.key.SecretSealer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/** Generates {@code whsec_…} signing secrets and seals/opens them under the master key, bound to their endpoint. */
public final class WebhookSecrets {
    public static final String PREFIX = "whsec_";
    private static final int SECRET_BYTES = 24;

    private final SecretSealer sealer;
    private final SecureRandom random = new SecureRandom();

    public WebhookSecrets(SecretSealer sealer) {
        this.sealer = sealer;
    }

    public String generate() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    public String seal(String endpointId, String secret) {
        return Base64.getEncoder().encodeToString(sealer.seal(secret.getBytes(StandardCharsets.UTF_8), aad(endpointId)));
    }

    public String open(String endpointId, String sealed) {
        return new String(sealer.open(Base64.getDecoder().decode(sealed), aad(endpointId)), StandardCharsets.UTF_8);
    }

    private static String aad(String endpointId) {
        return "webhook-endpoint-secret:" + endpointId;
    }
}
