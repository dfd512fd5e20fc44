package dev.gatehouse.saml.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.core.connection.IdpMetadataException;
import dev.gatehouse.core.testing.TestIdpMetadata;
import dev.gatehouse.core.testing.ScriptedResolver;
import dev.gatehouse.core.webhook.DestinationPolicy;
import dev.gatehouse.core.webhook.PinnedHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fetching metadata URLs from a local HTTP server, with and without the dev setting that allows private addresses. */
class HttpIdpMetadataFetcherTest {
    HttpServer server;
    String base;
    final AtomicInteger hits = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metadata", exchange -> respond(exchange, 200, TestIdpMetadata.rollover(), null));
        server.createContext("/moved", exchange -> respond(exchange, 302, "", "/metadata"));
        server.createContext("/loop", exchange -> respond(exchange, 302, "", "/loop"));
        server.createContext("/away", exchange -> respond(exchange, 302, "", "http://metadata.internal.test/latest"));
        server.createContext("/missing", exchange -> respond(exchange, 404, "no", null));
        server.createContext("/huge", exchange -> respond(exchange, 200, "x".repeat(DomIdpMetadataParser.MAX_BYTES + 10), null));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body, String location) throws IOException {
        hits.incrementAndGet();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (location != null) {
            exchange.getResponseHeaders().add("Location", location);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static HttpIdpMetadataFetcher devFetcher() {
        // Private addresses allowed (dev); metadata.internal.test resolves to the cloud metadata address.
        return new HttpIdpMetadataFetcher(new DestinationPolicy(true, host -> host.equals("metadata.internal.test")
                ? new InetAddress[] {InetAddress.getByName("169.254.169.254")} : InetAddress.getAllByName(host)));
    }

    @Test
    void fetchWhenAllowedThenDocumentAndRedirectsFollowed() {
        HttpIdpMetadataFetcher fetcher = devFetcher();
        assertThat(new String(fetcher.fetch(base + "/metadata"), StandardCharsets.UTF_8)).contains("EntityDescriptor");
        assertThat(new String(fetcher.fetch(base + "/moved"), StandardCharsets.UTF_8)).contains("EntityDescriptor");
    }

    @Test
    void fetchWhenPrivateAddressesNotAllowedThenRefusedBeforeAnyRequest() {
        HttpIdpMetadataFetcher production = new HttpIdpMetadataFetcher(new DestinationPolicy(false));
        for (String url : new String[] {base + "/metadata", "https://127.0.0.1:1/metadata", "https://169.254.169.254/latest",
                "https://10.0.0.1/metadata", "https://[::1]/metadata", "file:///etc/passwd", "ftp://idp.example.test/m"}) {
            assertThatThrownBy(() -> production.fetch(url)).as(url).isInstanceOf(IdpMetadataException.class)
                    .hasMessageContaining("not allowed");
        }
        assertThat(hits).hasValue(0);
    }

    @Test
    void fetchWhenRedirectLeavesTheAllowedDestinationsThenRefused() {
        assertThatThrownBy(() -> devFetcher().fetch(base + "/away")).isInstanceOf(IdpMetadataException.class)
                .hasMessageContaining("not allowed");
    }

    @Test
    void fetchWhenErrorStatusLoopOrTooLargeThenReason() {
        HttpIdpMetadataFetcher fetcher = devFetcher();
        assertThatThrownBy(() -> fetcher.fetch(base + "/missing")).hasMessageContaining("HTTP 404");
        assertThatThrownBy(() -> fetcher.fetch(base + "/loop")).hasMessageContaining("redirected more than 3");
        assertThatThrownBy(() -> fetcher.fetch(base + "/huge")).hasMessageContaining("1 MiB");
        assertThatThrownBy(() -> fetcher.fetch("http://127.0.0.1:1/metadata")).hasMessageContaining("could not be reached");
    }

    @Test
    void fetchWhenTheHostRebindsToLoopbackAfterTheCheckThenNothingConnectsToLoopback() throws IOException {
        try (ServerSocketChannel loopback = ServerSocketChannel.open()) {
            loopback.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            loopback.configureBlocking(false);
            int port = ((InetSocketAddress) loopback.getLocalAddress()).getPort();
            ScriptedResolver resolver = new ScriptedResolver();
            resolver.script("idp.rebind.test", "203.0.113.7", "127.0.0.1"); // public when checked, loopback after
            HttpIdpMetadataFetcher production = new HttpIdpMetadataFetcher(
                    new PinnedHttp(new DestinationPolicy(false, resolver), Duration.ofSeconds(2)));

            assertThatThrownBy(() -> production.fetch("https://idp.rebind.test:" + port + "/metadata"))
                    .isInstanceOf(IdpMetadataException.class);

            assertThat(resolver.lookups("idp.rebind.test")).isEqualTo(1);
            assertThat(loopback.accept()).as("a connection to loopback would be in the backlog").isNull();
        }
    }

    @Test
    void fetchWhenTheHostResolvesToTheServerThenTheRequestGoesToTheCheckedAddressNamingTheHost() {
        AtomicReference<String> host = new AtomicReference<>();
        server.createContext("/named", exchange -> {
            host.set(exchange.getRequestHeaders().getFirst("Host"));
            respond(exchange, 200, TestIdpMetadata.rollover(), null);
        });
        ScriptedResolver resolver = new ScriptedResolver();
        resolver.script("idp.example.test", "127.0.0.1");
        HttpIdpMetadataFetcher fetcher = new HttpIdpMetadataFetcher(new DestinationPolicy(true, resolver));
        int port = server.getAddress().getPort();

        assertThat(new String(fetcher.fetch("http://idp.example.test:" + port + "/named"), StandardCharsets.UTF_8))
                .contains("EntityDescriptor");
        assertThat(host).hasValue("idp.example.test:" + port);
        assertThat(resolver.lookups("idp.example.test")).isEqualTo(1);
    }
}
