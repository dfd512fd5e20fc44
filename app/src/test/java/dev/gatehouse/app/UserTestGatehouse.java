package dev.gatehouse.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.server.Server;
import dev.gatehouse.store.TestDatabases;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A whole Gatehouse (real wiring, migrations, bootstrap, Armeria server on a free port) over a
 * fresh test database (PostgreSQL when {@code GATEHOUSE_TEST_POSTGRES_URL} is set, H2 otherwise),
 * with a management client whose token the tests use.
 */
final class UserTestGatehouse implements AutoCloseable {
    static final String CLIENT_ID = "skc_11111111111111111";
    static final String CLIENT_SECRET = "users-test-secret-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    final TestDatabases.TestDatabase database;
    final Path dataDirectory;
    final Wiring wiring;
    final Server server;
    final String baseUrl;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String token;

    private UserTestGatehouse(TestDatabases.TestDatabase database, Path dataDirectory, Wiring wiring, Server server) {
        this.database = database;
        this.dataDirectory = dataDirectory;
        this.wiring = wiring;
        this.server = server;
        this.baseUrl = "http://127.0.0.1:" + server.activeLocalPort();
    }

    static UserTestGatehouse start() throws IOException {
        TestDatabases.TestDatabase database = TestDatabases.preferred();
        Path data = Files.createTempDirectory("gatehouse-users-it-");
        Map<String, String> env = new HashMap<>();
        env.put("GATEHOUSE_PORT", "0");
        env.put("GATEHOUSE_PUBLIC_URL", "http://127.0.0.1:8080");
        env.put("GATEHOUSE_DATA_DIR", data.toString());
        env.put("GATEHOUSE_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]));
        env.put("GATEHOUSE_DATABASE_URL", database.jdbcUrl());
        env.put("GATEHOUSE_DATABASE_USER", database.user());
        env.put("GATEHOUSE_DATABASE_PASSWORD", database.password());
        env.put("GATEHOUSE_DATABASE_POOL_SIZE", "8");
        env.put("GATEHOUSE_BLOCKING_THREADS", "16");
        env.put("GATEHOUSE_BOOTSTRAP_CLIENT_ID", CLIENT_ID);
        env.put("GATEHOUSE_BOOTSTRAP_CLIENT_SECRET", CLIENT_SECRET);
        env.put("GATEHOUSE_SHUTDOWN_QUIET_MILLIS", "0");
        env.put("GATEHOUSE_SHUTDOWN_TIMEOUT_MILLIS", "300");
        Wiring wiring = Wiring.open(GatehouseConfig.fromEnvironment(env), Clock.systemUTC());
        try {
            Bootstrap.run(wiring);
            Server server = wiring.server();
            server.start().join();
            return new UserTestGatehouse(database, data, wiring, server);
        } catch (RuntimeException e) {
            wiring.close();
            database.close();
            throw e;
        }
    }

    /** A management access token of the bootstrap client (fetched once). */
    synchronized String token() throws IOException, InterruptedException {
        if (token == null) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/oauth/token"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + CLIENT_ID
                            + "&client_secret=" + CLIENT_SECRET))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("token request failed: " + response.statusCode() + " " + response.body());
            }
            token = JSON.readTree(response.body()).get("access_token").asText();
        }
        return token;
    }

    /** One REST call with the management token: the status and the parsed JSON body. */
    Rest rest(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("authorization", "Bearer " + token())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        return new Rest(response.statusCode(), json, response.body());
    }

    record Rest(int status, JsonNode json, String raw) {}

    long count(String table) {
        return wiring.database.jdbi().withHandle(h -> h.createQuery("select count(*) from " + table).mapTo(Long.class).one());
    }

    @Override
    public void close() {
        try {
            server.stop().join();
        } finally {
            try {
                wiring.close();
            } finally {
                database.close();
                try (var paths = Files.walk(dataDirectory)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // A leftover temporary directory is harmless.
                }
            }
        }
    }
}
