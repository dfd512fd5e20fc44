package dev.gatehouse.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    // The Standard Webhooks specification's published example.
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    @Test
    void headersWhenOneSecretThenStandardWebhooksExampleSignature() {
        var headers = WebhookSigner.headers(ID, Instant.ofEpochSecond(1614265330), BODY, List.of(SECRET));

        assertThat(headers).containsEntry("webhook-id", ID)
                .containsEntry("webhook-timestamp", "1614265330")
                .containsEntry("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void headersWhenTwoSecretsThenTwoSpaceSeparatedSignaturesNewestFirst() {
        String other = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]);
        var headers = WebhookSigner.headers(ID, Instant.ofEpochSecond(1614265330), BODY, List.of(other, SECRET));

        String[] signatures = headers.get("webhook-signature").split(" ");
        assertThat(signatures).hasSize(2);
        assertThat(signatures[0]).isEqualTo("v1," + WebhookSigner.sign(other, ID, 1614265330, BODY)).startsWith("v1,");
        assertThat(signatures[1]).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void signWhenBodyChangesByOneByteThenSignatureDiffers() {
        byte[] tampered = BODY.clone();
        tampered[3] ^= 1;

        assertThat(WebhookSigner.sign(SECRET, ID, 1614265330, tampered))
                .isNotEqualTo(WebhookSigner.sign(SECRET, ID, 1614265330, BODY));
    }
}
