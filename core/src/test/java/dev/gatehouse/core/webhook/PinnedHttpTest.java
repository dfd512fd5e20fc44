package dev.gatehouse.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.gatehouse.core.testing.ScriptedResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pinned client against real loopback servers (HTTP and HTTPS) reached through a scripted resolver. */
class PinnedHttpTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path temp;
    HttpServer server;
    int port;
    final AtomicReference<String> host = new AtomicReference<>();
    final AtomicReference<String> body = new AtomicReference<>();
    final ScriptedResolver resolver = new ScriptedResolver();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        routes(server);
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void routes(HttpServer target) {
        target.createContext("/echo", exchange -> {
            host.set(exchange.getRequestHeaders().getFirst("Host"));
            body.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            respond(exchange, 201, "created " + exchange.getRequestMethod(), false);
        });
        target.createContext("/chunked", exchange -> respond(exchange, 200, "a".repeat(5000) + "end", true));
        target.createContext("/empty", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
    }

    private static void respond(HttpExchange exchange, int status, String text, boolean chunked) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private PinnedHttp devClient() {
        return new PinnedHttp(new DestinationPolicy(true, resolver), TIMEOUT);
    }

    @Test
    void sendWhenTheNameResolvesToTheServerThenTheRequestGoesThereNamingTheHost() throws IOException {
        resolver.script("hooks.example.test", "127.0.0.1");

        PinnedHttp.Response response = devClient().send(new PinnedHttp.Request("POST",
                URI.create("http://hooks.example.test:" + port + "/echo?x=1"), Map.of("X-Test", "yes"),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8)), TIMEOUT, 1024);

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.bodyText()).isEqualTo("created POST");
        assertThat(response.header("Content-Type")).hasValue("text/plain");
        assertThat(host).hasValue("hooks.example.test:" + port);
        assertThat(body).hasValue("{\"a\":1}");
        assertThat(resolver.lookups("hooks.example.test")).isEqualTo(1);
    }

    @Test
    void sendWhenTheAnswerIsChunkedOrEmptyThenBodyReadAndLimited() throws IOException {
        resolver.script("hooks.example.test", "127.0.0.1");
        PinnedHttp client = devClient();
        URI chunked = URI.create("http://hooks.example.test:" + port + "/chunked");

        PinnedHttp.Response whole = client.send(PinnedHttp.Request.get(chunked, Map.of()), TIMEOUT, 10_000);
        PinnedHttp.Response cut = client.send(PinnedHttp.Request.get(chunked, Map.of()), TIMEOUT, 1024);
        PinnedHttp.Response empty = client.send(PinnedHttp.Request.get(
                URI.create("http://hooks.example.test:" + port + "/empty"), Map.of()), TIMEOUT, 1024);

        assertThat(whole.bodyText()).hasSize(5003).endsWith("end");
        assertThat(whole.truncated()).isFalse();
        assertThat(cut.body()).hasSize(1024);
        assertThat(cut.truncated()).isTrue();
        assertThat(empty.status()).isEqualTo(204);
        assertThat(empty.body()).isEmpty();
    }

    @Test
    void sendWhenTheCheckRefusesThenNothingIsSent() {
        resolver.script("internal.example.test", "127.0.0.1");
        PinnedHttp production = new PinnedHttp(new DestinationPolicy(false, resolver), TIMEOUT);

        assertThatThrownBy(() -> production.send(PinnedHttp.Request.get(
                URI.create("https://internal.example.test:" + port + "/echo"), Map.of()), TIMEOUT, 1024))
                .isInstanceOf(PinnedHttp.RefusedDestinationException.class)
                .hasMessage("url resolves to a private, loopback or link-local address");
        assertThat(host).hasNullValue();
    }

    @Test
    void sendWhenAHeaderCarriesALineBreakThenRefusedBeforeConnecting() {
        resolver.script("hooks.example.test", "127.0.0.1");

        assertThatThrownBy(() -> devClient().send(PinnedHttp.Request.get(URI.create("http://hooks.example.test:" + port
                + "/echo"), Map.of("X-Test", "a\r\nX-Injected: 1")), TIMEOUT, 1024))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(host).hasNullValue();
    }

    /**
     * HTTPS to the checked address: SNI and the certificate check use the URL's host name, so the server's
     * certificate for {@code hooks.example.test} is accepted at 127.0.0.1, and the same certificate is refused for
     * another name that resolves to the same address.
     */
    @Test
    void sendWhenHttpsThenTheCertificateIsCheckedAgainstTheHostNameNotTheAddress() throws Exception {
        char[] password = "changeit".toCharArray();
        Path keystore = temp.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=hooks.example.test", "-ext", "SAN=dns:hooks.example.test",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, password);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", keys.getCertificate("server"));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trustManagers.getTrustManagers(), null);

        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        routes(https);
        https.start();
        try {
            int httpsPort = https.getAddress().getPort();
            resolver.script("hooks.example.test", "127.0.0.1");
            resolver.script("other.example.test", "127.0.0.1");
            PinnedHttp client = new PinnedHttp(new DestinationPolicy(true, resolver), clientTls, TIMEOUT);

            PinnedHttp.Response response = client.send(new PinnedHttp.Request("POST",
                    URI.create("https://hooks.example.test:" + httpsPort + "/echo"), Map.of(), new byte[] {'x'}), TIMEOUT, 1024);
            assertThat(response.status()).isEqualTo(201);
            assertThat(host).hasValue("hooks.example.test:" + httpsPort);

            assertThatThrownBy(() -> client.send(PinnedHttp.Request.get(
                    URI.create("https://other.example.test:" + httpsPort + "/echo"), Map.of()), TIMEOUT, 1024))
                    .isInstanceOf(SSLHandshakeException.class);
        } finally {
            https.stop(0);
        }
    }
}
