package dev.gatehouse.webhooks;

import java.time.Duration;

/**
 * Webhook settings ({@code GATEHOUSE_WEBHOOKS_*}).
 *
 * @param allowPrivate   dev only: allow private/loopback destinations and http to loopback
 * @param secretOverlap  how long a rotated-out secret keeps signing (default 24 h)
 * @param retention      how long attempts and finished deliveries are kept (default 30 days)
 * @param workers        delivery capacity of this node, in units of {@code Dispatcher.SLOTS_PER_WORKER} (64)
 *                       concurrent deliveries (0 turns delivery off on this node)
 * @param pollInterval   how often an idle node looks for due deliveries it was not woken for (retries,
 *                       events committed on other nodes)
 */
public record WebhookSettings(boolean allowPrivate, Duration secretOverlap, Duration retention, int workers,
                              Duration pollInterval) {
    public static final WebhookSettings DEFAULTS =
            new WebhookSettings(false, Duration.ofHours(24), Duration.ofDays(30), 2, Duration.ofMillis(100));
}
