package dev.gatehouse.core.webhook;

/** The answer of create and rotate: the only time the plaintext signing secret leaves the server. */
public record EndpointWithSecret(WebhookEndpoint endpoint, String secret) {
    @Override
    public String toString() {
        return "EndpointWithSecret[" + endpoint + ", secret=redacted]";
    }
}
