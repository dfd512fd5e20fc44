package dev.gatehouse.app;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A local HTTP server standing in for an IdP's metadata URL: serves the document set for a path, counts requests. */
final class IdpMetadataServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, String> documents = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();

    IdpMetadataServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String document = documents.get(exchange.getRequestURI().getPath());
            byte[] body = (document == null ? "not found" : document).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/samlmetadata+xml");
            exchange.sendResponseHeaders(document == null ? 404 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** Serves {@code document} at {@code path}; returns its URL. */
    String serve(String path, String document) {
        documents.put(path, document);
        return url(path);
    }

    void remove(String path) {
        documents.remove(path);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
