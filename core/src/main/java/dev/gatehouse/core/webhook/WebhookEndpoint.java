package dev.gatehouse.core.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A webhook endpoint of an environment. The signing secrets are stored sealed (AES-GCM under the
 * master key, base64); they can't be hashed because HMAC signing needs them (docs/DECISIONS.md D-W2).
 * During a rotation {@code sealedPreviousSecret} signs too until {@code previousSecretExpiresAt}.
 */
public record WebhookEndpoint(
        String id,
        String environmentId,
        String url,
        String description,
        List<String> eventTypes,
        boolean enabled,
        String sealedSecret,
        Optional<String> sealedPreviousSecret,
        Optional<Instant> previousSecretExpiresAt,
        Optional<Instant> failingSince,
        Optional<String> disabledReason,
        Instant createTime,
        Instant updateTime) {

    public WebhookEndpoint {
        eventTypes = List.copyOf(eventTypes);
    }

    /** An empty filter subscribes to every type. */
    public boolean subscribes(String type) {
        return eventTypes.isEmpty() || eventTypes.contains(type);
    }

    @Override
    public String toString() {
        return "WebhookEndpoint[id=" + id + ", environmentId=" + environmentId + ", url=" + url + ", enabled=" + enabled + "]";
    }
}
