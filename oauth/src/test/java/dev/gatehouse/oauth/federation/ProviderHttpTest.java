package dev.gatehouse.oauth.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.core.testing.ScriptedResolver;
import dev.gatehouse.core.webhook.DestinationPolicy;
import dev.gatehouse.core.webhook.PinnedHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Identity-provider calls go to the address the destination check accepted, never to a second DNS answer (D-W7). */
class ProviderHttpTest {

    @Test
    void sendWhenDiscoveryHostRebindsToLoopbackAfterTheCheckThenNothingConnectsToLoopback() throws IOException {
        try (ServerSocketChannel loopback = ServerSocketChannel.open()) {
            loopback.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            loopback.configureBlocking(false);
            int port = ((InetSocketAddress) loopback.getLocalAddress()).getPort();
            ScriptedResolver resolver = new ScriptedResolver();
            resolver.script("idp.rebind.test", "203.0.113.7", "127.0.0.1"); // public when checked, loopback after
            ProviderHttp http = new ProviderHttp(new PinnedHttp(new DestinationPolicy(false, resolver), Duration.ofSeconds(2)));

            assertThatThrownBy(() -> http.send(new HTTPRequest(HTTPRequest.Method.GET,
                    URI.create("https://idp.rebind.test:" + port + "/.well-known/openid-configuration")), "discovery"))
                    .isInstanceOfSatisfying(FederationFailure.class, f -> assertThat(f.step()).isEqualTo("discovery"));
            assertThatThrownBy(() -> http.get(URI.create("https://idp.rebind.test:" + port + "/jwks"), Map.of(), 1024))
                    .isInstanceOf(PinnedHttp.RefusedDestinationException.class); // the second check sees loopback

            assertThat(resolver.lookups("idp.rebind.test")).isEqualTo(2); // one per request, none to connect
            assertThat(loopback.accept()).as("a connection to loopback would be in the backlog").isNull();
        }
    }

    @Test
    void sendWhenTheProviderAnswersThenNimbusGetsStatusHeadersAndBodyFromTheCheckedAddress() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicReference<String> seen = new AtomicReference<>();
        AtomicReference<String> contentType = new AtomicReference<>();
        server.createContext("/token", exchange -> {
            seen.set(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Host") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            contentType.set(exchange.getRequestHeaders().getFirst("Content-Type"));
            byte[] body = "{\"access_token\":\"at\",\"token_type\":\"Bearer\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            ScriptedResolver resolver = new ScriptedResolver();
            resolver.script("idp.example.test", "127.0.0.1");
            ProviderHttp http = new ProviderHttp(new DestinationPolicy(true, resolver));
            HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST, URI.create("http://idp.example.test:" + port + "/token"));
            request.setContentType("application/x-www-form-urlencoded");
            request.setBody("grant_type=authorization_code&code=c");

            HTTPResponse response = http.send(request, "token");

            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(response.getBodyAsJSONObject()).containsEntry("access_token", "at");
            assertThat(seen).hasValue("POST idp.example.test:" + port + " grant_type=authorization_code&code=c");
            assertThat(contentType.get()).startsWith("application/x-www-form-urlencoded");
            assertThat(resolver.lookups("idp.example.test")).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }
}
