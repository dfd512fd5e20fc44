package dev.gatehouse.webhooks;

import dev.gatehouse.core.webhook.WebhookSecrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures, as the official Scalekit SDKs' {@code verifyWebhookPayload} checks them:
 * {@code webhook-signature: v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>}, where the
 * key is the base64-decoded part of {@code whsec_…} after the prefix. Several secrets (during a rotation)
 * give several space-separated signatures.
 */
public final class WebhookSigner {
    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";

    private WebhookSigner() {}

    /** The three headers for a delivery of {@code body} at {@code time}, signed with every secret in order. */
    public static Map<String, String> headers(String eventId, Instant time, byte[] body, List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is needed");
        }
        long timestamp = time.getEpochSecond();
        List<String> signatures = new ArrayList<>();
        for (String secret : secrets) {
            signatures.add("v1," + sign(secret, eventId, timestamp, body));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ID, eventId);
        headers.put(TIMESTAMP, Long.toString(timestamp));
        headers.put(SIGNATURE, String.join(" ", signatures));
        return headers;
    }

    /** base64(HMAC-SHA256(key(secret), id.timestamp.body)). */
    public static String sign(String secret, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    static byte[] key(String secret) {
        String encoded = secret.startsWith(WebhookSecrets.PREFIX) ? secret.substring(WebhookSecrets.PREFIX.length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }
}
