package dev.gatehouse.webhooks;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/** Sends one webhook POST. */
public interface Transport {
    /** The status and at most the first {@code excerptBytes} of the body. */
    record Response(int status, byte[] bodyExcerpt) {}

    Response post(URI url, Map<String, String> headers, byte[] body) throws IOException, InterruptedException;
}
