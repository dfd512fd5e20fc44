package dev.gatehouse.core.event;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One domain event, in the envelope of the spec (§6.1): {@code spec_version}, {@code id} ({@code evt_…}),
 * {@code object}, {@code environment_id}, {@code organization_id}, {@code occurred_at}, {@code type}, {@code data}.
 * {@code dataJson} is a JSON object built by the producer; {@link #toJson()} embeds it verbatim.
 */
public record Event(String id, String object, String environmentId, Optional<String> organizationId,
                    Instant occurredAt, String type, String dataJson) {
    public static final String SPEC_VERSION = "1";

    public Event {
        Objects.requireNonNull(id);
        Objects.requireNonNull(object);
        Objects.requireNonNull(environmentId);
        Objects.requireNonNull(organizationId);
        Objects.requireNonNull(occurredAt);
        Objects.requireNonNull(type);
        Objects.requireNonNull(dataJson);
    }

    /** The envelope as sent to webhook endpoints; the same bytes for the same event, every time. */
    public String toJson() {
        return new Json.ObjectWriter()
                .put("spec_version", SPEC_VERSION)
                .put("id", id)
                .put("object", object)
                .put("environment_id", environmentId)
                .put("organization_id", organizationId.orElse(null))
                .put("occurred_at", occurredAt.toString())
                .put("type", type)
                .putRaw("data", dataJson)
                .toString();
    }
}
