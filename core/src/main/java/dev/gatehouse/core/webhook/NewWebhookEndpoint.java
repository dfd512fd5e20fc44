package dev.gatehouse.core.webhook;

import java.util.List;

/** What a caller supplies to create an endpoint. An empty {@code eventTypes} means every type. */
public record NewWebhookEndpoint(String url, String description, List<String> eventTypes, boolean enabled) {}
