package dev.gatehouse.core.webhook;

import java.util.List;
import java.util.Optional;

/** A partial update: absent fields keep their value. */
public record WebhookEndpointPatch(Optional<String> url, Optional<String> description, Optional<List<String>> eventTypes) {}
