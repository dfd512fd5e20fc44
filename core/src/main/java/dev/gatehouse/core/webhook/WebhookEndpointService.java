package dev.gatehouse.core.webhook;

import dev.gatehouse.core.event.Event;
import dev.gatehouse.core.event.EventTypes;
import dev.gatehouse.core.event.Json;
import dev.gatehouse.core.event.Outbox;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.FieldViolation;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.shared.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** The use cases of the webhook endpoints API (REST under /api/v1/webhooks, gRPC gatehouse.v1.webhooks). */
public final class WebhookEndpointService {
    public static final int MAX_ENDPOINTS_PER_ENVIRONMENT = 100;
    public static final int URL_MAX = 2048;
    public static final int DESCRIPTION_MAX = 1000;
    public static final int EVENT_TYPES_MAX = 50;

    private final WebhookEndpointRepository endpoints;
    private final WebhookSecrets secrets;
    private final DestinationPolicy destinations;
    private final IdGenerator ids;
    private final Clock clock;
    private final Transactions tx;
    private final Outbox outbox;
    private final Duration rotationOverlap;

    public WebhookEndpointService(WebhookEndpointRepository endpoints, WebhookSecrets secrets, DestinationPolicy destinations,
                                  IdGenerator ids, Clock clock, Transactions tx, Outbox outbox, Duration rotationOverlap) {
        this.endpoints = endpoints;
        this.secrets = secrets;
        this.destinations = destinations;
        this.ids = ids;
        this.clock = clock;
        this.tx = tx;
        this.outbox = outbox;
        this.rotationOverlap = rotationOverlap;
    }

    public EndpointWithSecret create(String environmentId, NewWebhookEndpoint request) {
        List<FieldViolation> violations = new ArrayList<>();
        checkUrl("endpoint.url", request.url(), violations);
        checkDescription("endpoint.description", request.description(), violations);
        List<String> types = checkEventTypes("endpoint.event_types", request.eventTypes(), violations);
        throwIfAny(violations);
        String id = ids.next(IdPrefix.WEBHOOK_ENDPOINT);
        String secret = secrets.generate();
        Instant now = now();
        WebhookEndpoint endpoint = new WebhookEndpoint(id, environmentId, request.url().strip(),
                request.description() == null ? "" : request.description().strip(), types, request.enabled(),
                secrets.seal(id, secret), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), now, now);
        return tx.inTransaction(() -> {
            if (endpoints.count(environmentId) >= MAX_ENDPOINTS_PER_ENVIRONMENT) {
                throw new DomainException.FailedPrecondition(
                        "an environment can have at most " + MAX_ENDPOINTS_PER_ENVIRONMENT + " webhook endpoints");
            }
            endpoints.insert(endpoint);
            return new EndpointWithSecret(endpoint, secret);
        });
    }

    public WebhookEndpoint get(String environmentId, String endpointId) {
        return endpoints.findById(environmentId, endpointId).orElseThrow(() -> notFound(endpointId));
    }

    public List<WebhookEndpoint> list(String environmentId) {
        return endpoints.list(environmentId, MAX_ENDPOINTS_PER_ENVIRONMENT);
    }

    public WebhookEndpoint update(String environmentId, String endpointId, WebhookEndpointPatch patch) {
        List<FieldViolation> violations = new ArrayList<>();
        patch.url().ifPresent(url -> checkUrl("endpoint.url", url, violations));
        patch.description().ifPresent(d -> checkDescription("endpoint.description", d, violations));
        Optional<List<String>> types = patch.eventTypes().map(t -> checkEventTypes("endpoint.event_types", t, violations));
        throwIfAny(violations);
        return tx.inTransaction(() -> {
            WebhookEndpoint current = get(environmentId, endpointId);
            return save(new WebhookEndpoint(current.id(), environmentId,
                    patch.url().map(String::strip).orElse(current.url()),
                    patch.description().map(String::strip).orElse(current.description()),
                    types.orElse(current.eventTypes()), current.enabled(), current.sealedSecret(),
                    current.sealedPreviousSecret(), current.previousSecretExpiresAt(), current.failingSince(),
                    current.disabledReason(), current.createTime(), now()));
        });
    }

    public void delete(String environmentId, String endpointId) {
        if (!endpoints.delete(environmentId, endpointId)) {
            throw notFound(endpointId);
        }
    }

    /** Enabling clears the failure state; deliveries queued before the endpoint was disabled resume. */
    public WebhookEndpoint setEnabled(String environmentId, String endpointId, boolean enabled) {
        return tx.inTransaction(() -> {
            WebhookEndpoint c = get(environmentId, endpointId);
            return save(new WebhookEndpoint(c.id(), environmentId, c.url(), c.description(), c.eventTypes(), enabled,
                    c.sealedSecret(), c.sealedPreviousSecret(), c.previousSecretExpiresAt(),
                    enabled ? Optional.empty() : c.failingSince(),
                    enabled ? Optional.empty() : Optional.of("disabled by an administrator"), c.createTime(), now()));
        });
    }

    /** A new secret signs from now on; the current one keeps signing too until the overlap ends. */
    public EndpointWithSecret rotateSecret(String environmentId, String endpointId) {
        return tx.inTransaction(() -> {
            WebhookEndpoint c = get(environmentId, endpointId);
            String secret = secrets.generate();
            Instant now = now();
            WebhookEndpoint rotated = save(new WebhookEndpoint(c.id(), environmentId, c.url(), c.description(),
                    c.eventTypes(), c.enabled(), secrets.seal(c.id(), secret), Optional.of(c.sealedSecret()),
                    Optional.of(now.plus(rotationOverlap)), c.failingSince(), c.disabledReason(), c.createTime(), now));
            return new EndpointWithSecret(rotated, secret);
        });
    }

    /**
     * Disables an endpoint that has failed continuously since at least {@code failingSinceAtMost} and
     * emits {@code webhook.endpoint.disabled} in the same transaction. False if it was already disabled
     * or has succeeded since.
     */
    public boolean disableForFailures(String environmentId, String endpointId, Instant failingSinceAtMost) {
        return tx.inTransaction(() -> {
            Instant now = now();
            String reason = "failing since at least " + failingSinceAtMost;
            if (!endpoints.disableIfFailingSince(environmentId, endpointId, failingSinceAtMost, reason, now)) {
                return false;
            }
            WebhookEndpoint e = get(environmentId, endpointId);
            outbox.append(new Event(ids.next(IdPrefix.EVENT), "WebhookEndpoint", environmentId, Optional.empty(), now,
                    EventTypes.WEBHOOK_ENDPOINT_DISABLED, new Json.ObjectWriter()
                    .put("id", e.id())
                    .put("url", e.url())
                    .put("enabled", false)
                    .put("failing_since", e.failingSince().map(Instant::toString).orElse(null))
                    .put("disabled_reason", reason)
                    .toString()));
            return true;
        });
    }

    /** The plaintext secrets that sign a delivery at {@code now}: the current one, then the previous during an overlap. */
    public List<String> signingSecrets(WebhookEndpoint endpoint, Instant now) {
        List<String> result = new ArrayList<>();
        result.add(secrets.open(endpoint.id(), endpoint.sealedSecret()));
        if (endpoint.sealedPreviousSecret().isPresent()
                && endpoint.previousSecretExpiresAt().map(now::isBefore).orElse(false)) {
            result.add(secrets.open(endpoint.id(), endpoint.sealedPreviousSecret().get()));
        }
        return result;
    }

    private WebhookEndpoint save(WebhookEndpoint endpoint) {
        if (!endpoints.update(endpoint)) {
            throw notFound(endpoint.id());
        }
        return endpoint;
    }

    private void checkUrl(String field, String url, List<FieldViolation> violations) {
        if (url == null || url.isBlank()) {
            violations.add(new FieldViolation(field, "url is required", "required"));
        } else if (url.strip().length() > URL_MAX) {
            violations.add(new FieldViolation(field, "url must be at most " + URL_MAX + " characters", "string.max_len"));
        } else {
            destinations.refusal(url.strip()).ifPresent(reason -> violations.add(new FieldViolation(field, reason, "url.allowed")));
        }
    }

    private static void checkDescription(String field, String description, List<FieldViolation> violations) {
        if (description != null && description.strip().length() > DESCRIPTION_MAX) {
            violations.add(new FieldViolation(field, "description must be at most " + DESCRIPTION_MAX + " characters",
                    "string.max_len"));
        }
    }

    private static List<String> checkEventTypes(String field, List<String> types, List<FieldViolation> violations) {
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String type : types) {
            if (!EventTypes.isKnown(type)) {
                violations.add(new FieldViolation(field, "unknown event type '" + truncate(type) + "'", "enum.defined_only"));
                return List.of();
            }
            unique.add(type);
        }
        if (unique.size() > EVENT_TYPES_MAX) {
            violations.add(new FieldViolation(field, "at most " + EVENT_TYPES_MAX + " event types", "repeated.max_items"));
        }
        return List.copyOf(unique);
    }

    private static String truncate(String value) {
        return value == null ? "" : value.length() <= 100 ? value : value.substring(0, 100);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static DomainException.NotFound notFound(String endpointId) {
        return new DomainException.NotFound("webhook endpoint " + endpointId + " not found");
    }

    private static void throwIfAny(List<FieldViolation> violations) {
        if (!violations.isEmpty()) {
            throw new DomainException.InvalidArgument(violations.getFirst().description(), violations);
        }
    }
}
