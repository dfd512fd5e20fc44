package dev.gatehouse.app;

import com.linecorp.armeria.server.Server;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code gatehouse startup-training}: one first start and a few requests, for the JVM to record which classes
 * start-up loads and links. The launcher runs it once per build with {@code -XX:AOTCacheOutput} and starts the
 * server with the cache it leaves (docs/DECISIONS.md D-ST3). It touches nothing of the real installation: its own
 * H2 database in a temporary directory (deleted afterwards), a free loopback port, its own management client.
 */
final class StartupTraining {
    static final String CLIENT_ID = "skc_startup_training";

    private StartupTraining() {}

    /** 0 when the server started and answered every request; 1 otherwise. */
    static int run(PrintStream out) {
        Path directory;
        try {
            directory = Files.createTempDirectory("gatehouse-startup-training");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return train(directory, out);
        } finally {
            deleteRecursively(directory);
        }
    }

    /** The settings of the training server: nothing from the real environment, so never the real database. */
    static GatehouseConfig config(Path directory, int port, String clientSecret) {
        return GatehouseConfig.fromEnvironment(Map.of(
                "GATEHOUSE_DATA_DIR", directory.toString(),
                "GATEHOUSE_PORT", Integer.toString(port),
                "GATEHOUSE_PUBLIC_URL", "http://127.0.0.1:" + port,
                "GATEHOUSE_BOOTSTRAP_CLIENT_ID", CLIENT_ID,
                "GATEHOUSE_BOOTSTRAP_CLIENT_SECRET", clientSecret,
                "GATEHOUSE_MASTER_KEY", Base64.getEncoder().encodeToString(randomBytes(32)),
                "GATEHOUSE_SHUTDOWN_QUIET_MILLIS", "0"));
    }

    private static int train(Path directory, PrintStream out) {
        String secret = HexFormat.of().formatHex(randomBytes(24));
        try (Wiring wiring = Wiring.open(config(directory, freePort(), secret), Clock.systemUTC())) {
            Bootstrap.run(wiring);
            Server server = wiring.server();
            server.start().join();
            wiring.readiness.markReady();
            try {
                List<Integer> statuses = requests("http://127.0.0.1:" + server.activeLocalPort(), secret);
                out.println("startup-training: ready in " + StartupTimeline.uptimeMillis() + " ms, answers " + statuses);
                return statuses.stream().allMatch(status -> status < 300) ? 0 : 1;
            } finally {
                server.stop().join();
            }
        }
    }

    /** The requests of a first minute: health, discovery, a client-credentials token, organizations over REST. */
    private static List<Integer> requests(String base, String secret) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int ready = send(http, HttpRequest.newBuilder(URI.create(base + "/readyz")).build()).statusCode();
        int discovery = send(http, HttpRequest.newBuilder(URI.create(base + "/.well-known/openid-configuration"))
                .build()).statusCode();
        int jwks = send(http, HttpRequest.newBuilder(URI.create(base + "/keys")).build()).statusCode();
        HttpResponse<String> token = send(http, HttpRequest.newBuilder(URI.create(base + "/oauth/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + CLIENT_ID
                        + "&client_secret=" + secret))
                .build());
        String accessToken = token.body().replaceFirst("(?s).*\"access_token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        HttpResponse<String> created = send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/organizations"))
                .header("authorization", "Bearer " + accessToken)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"display_name\":\"Startup training\"}"))
                .build());
        int listed = send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/organizations?page_size=10"))
                .header("authorization", "Bearer " + accessToken).build()).statusCode();
        return List.of(ready, discovery, jwks, token.statusCode(), created.statusCode(), listed);
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
