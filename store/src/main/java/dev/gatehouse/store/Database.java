package dev.gatehouse.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The connection pool, the schema migrations and the JDBI handle factory for one database:
 * an H2 file (the embedded default) or PostgreSQL. Both run the same migrations and queries.
 */
public final class Database implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Database.class.getName());
    /** The maintenance warning is logged by the first database opened in this process only. */
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Kind kind;

    public enum Kind { H2, POSTGRESQL }

    private Database(HikariDataSource dataSource, Kind kind) {
        this.dataSource = dataSource;
        this.kind = kind;
        this.jdbi = Jdbi.create(dataSource);
    }

    /** The JDBC URL of the embedded database file under {@code dataDirectory}, with H2's default write delay. */
    public static String h2FileUrl(Path dataDirectory) {
        return h2FileUrl(dataDirectory, false);
    }

    /**
     * The JDBC URL of the embedded database file under {@code dataDirectory}. With {@code writeEveryCommit}
     * ({@code GATEHOUSE_H2_DURABLE=true}) it adds {@code WRITE_DELAY=0}: every commit is written to the file before it
     * returns, so an acknowledged change survives the process being killed, at the costs measured in D-DB1; without
     * it H2 writes commits in the background, up to 500 ms later.
     */
    public static String h2FileUrl(Path dataDirectory, boolean writeEveryCommit) {
        return "jdbc:h2:file:" + dataDirectory.toAbsolutePath().resolve("gatehouse")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                // A sign-in runs ~25 distinct statements; H2's default cache of 8 parsed statements re-plans them all.
                + ";QUERY_CACHE_SIZE=128"
                // The server closes the pool (and so the database) after draining its in-flight requests; H2's own
                // shutdown hook would close it at SIGTERM, under those requests (D-DB7).
                + ";DB_CLOSE_ON_EXIT=FALSE"
                + (writeEveryCommit ? ";WRITE_DELAY=0" : "");
    }

    /** Opens the pool and brings the schema up to date. */
    public static Database open(String jdbcUrl, String user, String password, int maxPoolSize) {
        Kind kind = jdbcUrl.startsWith("jdbc:postgresql:") ? Kind.POSTGRESQL : Kind.H2;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxPoolSize);
        config.setPoolName("gatehouse-db");
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        Database database = new Database(dataSource, kind);
        if (!WARNED.get()) {
            database.maintenanceWarning().ifPresent(warning -> {
                if (WARNED.compareAndSet(false, true)) {
                    LOG.log(System.Logger.Level.WARNING, warning);
                }
            });
        }
        return database;
    }

    /**
     * What an operator must know about the database's upkeep, when something is off: on PostgreSQL with
     * {@code autovacuum = off} no table is ever analyzed (nor vacuumed), and single-row reads planned without
     * statistics may walk every row of an environment through an index on {@code environment_id} alone, so their cost
     * grows with the data (docs/DECISIONS.md D-SW6). Empty for H2 and for PostgreSQL with autovacuum on.
     */
    public Optional<String> maintenanceWarning() {
        if (kind != Kind.POSTGRESQL) {
            return Optional.empty();
        }
        String autovacuum = jdbi.withHandle(h -> h.createQuery("select current_setting('autovacuum')")
                .mapTo(String.class).one());
        return autovacuumWarning(autovacuum);
    }

    /** The warning for PostgreSQL's {@code autovacuum} setting as {@code current_setting} reports it. */
    static Optional<String> autovacuumWarning(String autovacuum) {
        if (!autovacuum.trim().equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        return Optional.of("PostgreSQL runs with autovacuum = off: Gatehouse's tables are never analyzed or vacuumed"
                + " by the server, and lookups planned without statistics slow down as tables grow; turn autovacuum on"
                + " or run ANALYZE (and VACUUM) on Gatehouse's schema regularly");
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isHealthy() {
        try {
            return jdbi.withHandle(h -> h.createQuery("select 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
