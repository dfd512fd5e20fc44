package dev.gatehouse.core.webhook;

import dev.gatehouse.core.shared.DomainException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** The delivery log API: attempts of an endpoint, resending an event, and the retention purge. */
public final class WebhookDeliveryLog {
    private final WebhookEndpointService endpoints;
    private final WebhookDeliveries deliveries;
    private final Clock clock;

    public WebhookDeliveryLog(WebhookEndpointService endpoints, WebhookDeliveries deliveries, Clock clock) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.clock = clock;
    }

    public List<WebhookDeliveries.Attempt> attempts(String environmentId, String endpointId, int limit, long beforeId) {
        endpoints.get(environmentId, endpointId);
        return deliveries.attempts(environmentId, endpointId, limit, beforeId);
    }

    public void resend(String environmentId, String endpointId, String eventId) {
        endpoints.get(environmentId, endpointId);
        if (eventId == null || eventId.isBlank() || !deliveries.resend(environmentId, endpointId, eventId, clock.instant())) {
            throw new DomainException.NotFound("event " + eventId + " not found");
        }
    }

    public long purgeOlderThan(java.time.Duration retention) {
        Instant before = clock.instant().minus(retention);
        return deliveries.purge(before);
    }
}
