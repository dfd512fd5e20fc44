package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.store.TestDatabases;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash test: while 2,000 organizations (so 2,000 organization.created events) are being created over
 * REST, the Gatehouse process is killed with SIGKILL and started again on the same database. Every
 * event whose creation was committed (its organization is in the database after the restart, whether or
 * not the request was acknowledged) reaches the loopback receiver at least once, and every event that
 * arrives belongs to an organization that exists (nothing uncommitted is delivered). Every create answered 201
 * before the kill is still there after the restart: PostgreSQL, or the embedded H2 with
 * {@code GATEHOUSE_H2_DURABLE=true} (D-DB1; with H2's default write delay the last ~0.5 s of commits are lost).
 */
class WebhooksCrashTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT_ID = "skc_70000000000000002";
    private static final String CLIENT_SECRET = "crash-test-secret-0123456789abcdef";
    private static final int TOTAL = 2_000;
    private static final int KILL_AFTER = 600;

    @TempDir
    Path data;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Path log(int round) {
        return data.resolve("gatehouse-" + round + ".log");
    }

    private HttpResponse<String> post(String base, String token, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("authorization", "Bearer " + token).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Creates organizations "crash-<n>" until {@code until} have been attempted or a request fails; returns on failure. */
    private void produce(String base, String token, AtomicInteger next, int until, Set<String> acknowledged,
                         Set<String> uncertain) throws Exception {
        ExecutorService producers = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            producers.submit(() -> {
                int n;
                while ((n = next.getAndIncrement()) < until) {
                    String name = "crash-" + n;
                    try {
                        var response = post(base, token, "/api/v1/organizations", "{\"display_name\":\"" + name + "\"}");
                        if (response.statusCode() == 201) {
                            acknowledged.add(name);
                        } else {
                            uncertain.add(name);
                        }
                    } catch (Exception e) {
                        uncertain.add(name); // in flight when the process died: may or may not have committed
                        return null;
                    }
                }
                return null;
            });
        }
        producers.shutdown();
        assertThat(producers.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
    }

    /** The display names of every "crash-<n>" organization in the database: the committed ones, whatever was acknowledged. */
    private Set<String> committedOrganizations(String base, String token) throws Exception {
        Set<String> names = new java.util.HashSet<>();
        String pageToken = "";
        do {
            var response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/organizations?page_size=100"
                            + (pageToken.isEmpty() ? "" : "&page_token=" + java.net.URLEncoder.encode(pageToken,
                            StandardCharsets.UTF_8)))).timeout(Duration.ofSeconds(10))
                    .header("authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode page = JSON.readTree(response.body());
            page.path("organizations").forEach(o -> {
                String name = o.path("display_name").asText();
                if (name.startsWith("crash-")) {
                    names.add(name);
                }
            });
            pageToken = page.path("next_page_token").asText();
        } while (!pageToken.isEmpty());
        return names;
    }

    @Test
    void deliveriesWhenProcessKilledMidProductionThenEveryCommittedEventArrivesAndNothingElse() throws Exception {
        Map<String, Integer> received = new ConcurrentHashMap<>();
        Map<String, String> nameOfOrganization = new ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.createContext("/hook", exchange -> {
            JsonNode event = JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String name = event.at("/data/display_name").asText();
            received.merge(name, 1, Integer::sum);
            nameOfOrganization.put(event.get("organization_id").asText(), name);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try (TestDatabases.TestDatabase database = TestDatabases.preferred()) {
            int port = GatehouseProcesses.freePort();
            String base = "http://127.0.0.1:" + port;
            Map<String, String> env = new HashMap<>();
            env.put("GATEHOUSE_PORT", Integer.toString(port));
            env.put("GATEHOUSE_DATA_DIR", data.toString());
            if (database.kind().equals("h2")) {
                // The embedded file in the data directory, in its crash-durable mode (D-DB1).
                env.put("GATEHOUSE_H2_DURABLE", "true");
            } else {
                env.put("GATEHOUSE_DATABASE_URL", database.jdbcUrl());
                env.put("GATEHOUSE_DATABASE_USER", database.user());
                env.put("GATEHOUSE_DATABASE_PASSWORD", database.password());
            }
            env.put("GATEHOUSE_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]));
            env.put("GATEHOUSE_BOOTSTRAP_CLIENT_ID", CLIENT_ID);
            env.put("GATEHOUSE_BOOTSTRAP_CLIENT_SECRET", CLIENT_SECRET);
            env.put("GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE", "true");
            env.put("GATEHOUSE_WEBHOOKS_POLL_MILLIS", "20");
            env.put("GATEHOUSE_LOG_LEVEL", "WARN");

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Set<String> uncertain = ConcurrentHashMap.newKeySet();
            AtomicInteger next = new AtomicInteger();

            Process first = GatehouseProcesses.launch(env, log(1));
            Process second = null;
            try {
                GatehouseProcesses.awaitReady(base, first, log(1));
                String token = GatehouseProcesses.token(base, CLIENT_ID, CLIENT_SECRET);
                String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
                assertThat(post(base, token, "/api/v1/webhooks",
                        "{\"url\":\"" + hook + "\",\"event_types\":[\"organization.created\"]}").statusCode()).isEqualTo(201);

                // SIGKILL while the producers are running.
                Thread killer = Thread.ofPlatform().start(() -> {
                    while (acknowledged.size() < KILL_AFTER && first.isAlive()) {
                        Thread.onSpinWait();
                    }
                    first.destroyForcibly(); // SIGKILL on Linux
                });
                produce(base, token, next, TOTAL, acknowledged, uncertain);
                killer.join(Duration.ofSeconds(60));
                assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(next.get()).as("the kill happened mid-production").isLessThan(TOTAL);

                second = GatehouseProcesses.launch(env, log(2));
                GatehouseProcesses.awaitReady(base, second, log(2));
                String token2 = GatehouseProcesses.token(base, CLIENT_ID, CLIENT_SECRET);
                next.set(next.get()); // continue the numbering
                produce(base, token2, next, TOTAL, acknowledged, uncertain);
                assertThat(acknowledged.size() + uncertain.size()).isGreaterThanOrEqualTo(TOTAL - 8);

                // Committed: every organization in the database once production is over, acknowledged or not.
                Set<String> committed = committedOrganizations(base, token2);
                // Durability (D-DB1): a create answered 201 before the kill is in the database after the restart.
                List<String> lost = new ArrayList<>(acknowledged);
                lost.removeAll(committed);
                assertThat(lost).as("acknowledged (201) before the kill, missing after the restart").isEmpty();

                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!received.keySet().containsAll(committed) && System.nanoTime() < deadline) {
                    second.waitFor(50, TimeUnit.MILLISECONDS);
                }
                List<String> missing = new ArrayList<>(acknowledged);
                missing.removeAll(received.keySet());
                assertThat(missing).as("acknowledged but never delivered").isEmpty();
                List<String> missingCommitted = new ArrayList<>(committed);
                missingCommitted.removeAll(received.keySet());
                assertThat(missingCommitted).as("committed (in the database) but never delivered").isEmpty();

                Set<String> phantom = new java.util.HashSet<>(received.keySet());
                phantom.removeAll(acknowledged);
                phantom.removeAll(uncertain);
                assertThat(phantom).as("delivered but never requested").isEmpty();
                Set<String> deliveredUncommitted = new java.util.HashSet<>(received.keySet());
                deliveredUncommitted.removeAll(committed);
                assertThat(deliveredUncommitted).as("delivered, but not in the database after the restart").isEmpty();
                // Events of in-flight requests that arrived must belong to organizations that exist.
                for (var entry : nameOfOrganization.entrySet()) {
                    if (uncertain.contains(entry.getValue())) {
                        var response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/organizations/" + entry.getKey()))
                                .header("authorization", "Bearer " + token2).build(), HttpResponse.BodyHandlers.discarding());
                        assertThat(response.statusCode()).as(entry.getValue()).isEqualTo(200);
                    }
                }
                assertThat(received.size()).isGreaterThanOrEqualTo(acknowledged.size());
            } finally {
                first.destroyForcibly();
                if (second != null) {
                    second.destroyForcibly();
                    second.waitFor(30, TimeUnit.SECONDS);
                }
            }
        } finally {
            receiver.stop(0);
        }
    }
}
