package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Gatehouse as a separate process, for tests of what only a real process shows (SIGKILL, SIGTERM and its shutdown
 * hooks, a restart on the same data): started from the test class path, its output in a log file.
 */
final class GatehouseProcesses {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private GatehouseProcesses() {}

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * {@code Main start} with {@code env} as its only {@code GATEHOUSE_*} settings (none inherited from the build's
     * environment), stdout and stderr to {@code log}.
     */
    static Process launch(Map<String, String> env, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.gatehouse.app.Main", "start");
        builder.environment().keySet().removeIf(name -> name.startsWith("GATEHOUSE_"));
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return builder.start();
    }

    /** Waits (at most 60 s) until {@code /readyz} answers 200; fails with the log when the process dies or never is. */
    static void awaitReady(String base, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("gatehouse exited; log:%n%s", Files.readString(log)).isTrue();
            try {
                var response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode();
            } catch (IOException notYet) {
                last = notYet.toString();
                process.waitFor(50, TimeUnit.MILLISECONDS); // returns early only if the process died
            }
        }
        throw new AssertionError("gatehouse not ready within 60 s (" + last + "); log:\n" + Files.readString(log));
    }

    /** A management access token (client_credentials). */
    static String token(String base, String clientId, String clientSecret) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/oauth/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + clientId
                        + "&client_secret=" + clientSecret)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("access_token").asText();
    }
}
