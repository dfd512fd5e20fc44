package dev.gatehouse.core.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Storage of webhook endpoints. Every method is scoped to an environment. */
public interface WebhookEndpointRepository {
    void insert(WebhookEndpoint endpoint);

    Optional<WebhookEndpoint> findById(String environmentId, String endpointId);

    /** Oldest first, at most {@code limit}. */
    List<WebhookEndpoint> list(String environmentId, int limit);

    long count(String environmentId);

    /** Replaces the stored row; false if it does not exist. */
    boolean update(WebhookEndpoint endpoint);

    boolean delete(String environmentId, String endpointId);

    /** Disables the endpoint if it is enabled and has been failing since at or before {@code failingSinceAtMost}; true if it did. */
    boolean disableIfFailingSince(String environmentId, String endpointId, Instant failingSinceAtMost, String reason, Instant now);
}
