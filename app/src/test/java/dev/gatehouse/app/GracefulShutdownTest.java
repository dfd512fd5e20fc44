package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graceful shutdown on the embedded database, in a real process sent SIGTERM: requests that arrive while the server
 * drains (its quiet period) are still served from the database, and what they wrote is there after a restart. H2
 * closes its database in a JVM shutdown hook of its own unless told not to, which used to turn every such request
 * into a 500 ("Database is already closed") while the server was still draining.
 */
class GracefulShutdownTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT_ID = "skc_70000000000000003";
    private static final String CLIENT_SECRET = "shutdown-test-secret-0123456789abcdef";

    @TempDir
    Path data;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private Process launch(int port, int round) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("GATEHOUSE_PORT", Integer.toString(port));
        env.put("GATEHOUSE_DATA_DIR", data.toString());
        env.put("GATEHOUSE_PUBLIC_URL", "http://127.0.0.1:" + port);
        env.put("GATEHOUSE_MASTER_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        env.put("GATEHOUSE_BOOTSTRAP_CLIENT_ID", CLIENT_ID);
        env.put("GATEHOUSE_BOOTSTRAP_CLIENT_SECRET", CLIENT_SECRET);
        // Long enough to send requests into the drain; the server stops sooner once it has been idle for it.
        env.put("GATEHOUSE_SHUTDOWN_QUIET_MILLIS", "1500");
        env.put("GATEHOUSE_SHUTDOWN_TIMEOUT_MILLIS", "20000");
        return GatehouseProcesses.launch(env, log(round));
    }

    private Path log(int round) {
        return data.resolve("gatehouse-" + round + ".log");
    }

    private HttpResponse<String> createOrganization(String base, String token, String name) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/organizations")).timeout(Duration.ofSeconds(10))
                .header("authorization", "Bearer " + token).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"display_name\":\"" + name + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> getOrganization(String base, String token, String id) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/organizations/" + id)).timeout(Duration.ofSeconds(10))
                .header("authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsDuringTheDrainAreServedFromTheEmbeddedDatabaseAndWhatTheyWroteSurvivesARestart() throws Exception {
        int port = GatehouseProcesses.freePort();
        String base = "http://127.0.0.1:" + port;
        Process first = launch(port, 1);
        List<String> created = new ArrayList<>();
        try {
            GatehouseProcesses.awaitReady(base, first, log(1));
            String token = GatehouseProcesses.token(base, CLIENT_ID, CLIENT_SECRET);
            assertThat(createOrganization(base, token, "before-shutdown").statusCode()).isEqualTo(201);

            first.destroy(); // SIGTERM: the shutdown hooks run, the server drains for its quiet period
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> response = createOrganization(base, token, "during-drain-" + i);
                statuses.add(response.statusCode());
                if (response.statusCode() == 201) {
                    created.add(JSON.readTree(response.body()).at("/organization/id").asText());
                }
            }
            assertThat(statuses).as("answers while draining; log: %s", Files.readString(log(1)))
                    .containsOnly(201);
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("stopped after the drain").isTrue();
        } finally {
            first.destroyForcibly();
        }
        String firstLog = Files.readString(log(1));
        assertThat(firstLog).doesNotContain("already closed").doesNotContain("ERROR");

        Process second = launch(port, 2);
        try {
            GatehouseProcesses.awaitReady(base, second, log(2));
            String token = GatehouseProcesses.token(base, CLIENT_ID, CLIENT_SECRET);
            for (String id : created) {
                assertThat(getOrganization(base, token, id).statusCode()).as("organization %s after restart", id)
                        .isEqualTo(200);
            }
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
            second.destroyForcibly();
        }
    }
}
