package dev.gatehouse.webhooks;

import dev.gatehouse.core.webhook.ResolvedDestination;
import java.io.IOException;
import java.util.Map;

/** Sends one webhook POST to a destination the SSRF policy has just accepted. */
public interface Transport {
    /** The status and at most the first {@code excerptBytes} of the body. */
    record Response(int status, byte[] bodyExcerpt) {}

    /** Posts to one of {@code destination}'s checked addresses; the host is never resolved again. */
    Response post(ResolvedDestination destination, Map<String, String> headers, byte[] body) throws IOException;
}
