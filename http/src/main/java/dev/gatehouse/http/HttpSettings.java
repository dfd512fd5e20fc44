package dev.gatehouse.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the port is served. {@code maxRequestBytes} bounds every request body (documented in the
 * README's limits table); bigger bodies get 413 in the surface's error shape. {@code requestTimeout} bounds a
 * request from its first byte to the end of its answer: a body that has not arrived by then gets 408, an answer not
 * ready by then 503, both in the surface's error shape.
 */
public record HttpSettings(
        int port,
        Optional<Path> tlsCertificate,
        Optional<Path> tlsPrivateKey,
        int maxRequestBytes,
        int blockingThreads,
        Duration shutdownQuietPeriod,
        Duration shutdownTimeout,
        Duration requestTimeout) {

    public static final int DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;
    /** Armeria's own default, kept. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
}
