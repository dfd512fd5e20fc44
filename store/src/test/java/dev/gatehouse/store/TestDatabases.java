package dev.gatehouse.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Fresh, isolated databases for tests: an H2 file in a temporary directory, always; and a new
 * schema in the PostgreSQL of {@code GATEHOUSE_TEST_POSTGRES_URL} when that is set (.ci/run sets it).
 * Each {@link TestDatabase} is dropped on close.
 */
public final class TestDatabases {
    public static final String POSTGRES_URL_VARIABLE = "GATEHOUSE_TEST_POSTGRES_URL";

    private TestDatabases() {}

    /** Where a test database lives: the JDBC URL, user and password to hand to {@link Database#open}. */
    public record TestDatabase(String kind, String jdbcUrl, String user, String password, Runnable dropper)
            implements AutoCloseable {
        public Database open() {
            return Database.open(jdbcUrl, user, password, 8);
        }

        @Override
        public void close() {
            dropper.run();
        }

        @Override
        public String toString() {
            return kind;
        }
    }

    /** The kinds to run against: "h2" always, "postgresql" when configured. */
    public static List<String> kinds() {
        List<String> kinds = new ArrayList<>(List.of("h2"));
        if (postgresUrl() != null) {
            kinds.add("postgresql");
        }
        return kinds;
    }

    public static TestDatabase create(String kind) {
        return switch (kind) {
            case "h2" -> h2();
            case "postgresql" -> postgres();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** PostgreSQL when configured (what CI's end-to-end tests use), H2 otherwise. */
    public static TestDatabase preferred() {
        return postgresUrl() != null ? postgres() : h2();
    }

    public static TestDatabase h2() {
        try {
            Path directory = Files.createTempDirectory("gatehouse-h2-");
            return new TestDatabase("h2", Database.h2FileUrl(directory), "sa", "", () -> deleteTree(directory));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TestDatabase postgres() {
        String base = postgresUrl();
        if (base == null) {
            throw new IllegalStateException(POSTGRES_URL_VARIABLE + " is not set");
        }
        String schema = "gh_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        String user = System.getenv().getOrDefault("GATEHOUSE_TEST_POSTGRES_USER", "postgres");
        String password = System.getenv().getOrDefault("GATEHOUSE_TEST_POSTGRES_PASSWORD", "");
        execute(base, user, password, "create schema " + schema);
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new TestDatabase("postgresql", url, user, password,
                () -> execute(base, user, password, "drop schema if exists " + schema + " cascade"));
    }

    private static String postgresUrl() {
        String url = System.getenv(POSTGRES_URL_VARIABLE);
        return url == null || url.isBlank() ? null : url;
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            connection.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on " + url + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException ignored) {
            // A leftover temporary directory is harmless.
        }
    }
}
