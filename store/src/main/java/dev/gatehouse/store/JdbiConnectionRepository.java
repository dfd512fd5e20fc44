package dev.gatehouse.store;

import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.connection.ConnectionFilter;
import dev.gatehouse.core.connection.ConnectionProvider;
import dev.gatehouse.core.connection.ConnectionRepository;
import dev.gatehouse.core.connection.ConnectionType;
import dev.gatehouse.core.connection.Domain;
import dev.gatehouse.core.connection.DomainRoute;
import dev.gatehouse.core.connection.OrganizationRoute;
import dev.gatehouse.core.connection.SealedValue;
import dev.gatehouse.core.connection.SpCredential;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Update;

/**
 * Connections in table {@code connections} (settings as JSON, {@link ConnectionSettingsJson}). {@link #findRecent}
 * keeps what it read for {@link #RECENT_FOR}, dropped on this node's own writes once their transaction has ended
 * (docs/DECISIONS.md D-AC4).
 */
public final class JdbiConnectionRepository implements ConnectionRepository {
    static final Duration RECENT_FOR = Duration.ofSeconds(5);
    private static final int MAX_RECENT = 10_000;
    static final RowMapper<Connection> MAPPER = (rs, ctx) -> read(rs);

    /** Counts the domains assigned to the row's connection (the connection is then restricted to them). */
    private static final String ASSIGNED = "(select count(*) from domains a where a.connection_id = c.id) as assigned_domains";

    private final JdbiTransactions tx;
    private final ConcurrentHashMap<Key, Recent> recent = new ConcurrentHashMap<>();
    /** Bumped by every forget: a read that overlapped a write does not keep what it read. */
    private final AtomicLong generation = new AtomicLong();

    private record Key(String environmentId, String connectionId) {}

    /** A connection as read, and when ({@link System#nanoTime}). */
    private record Recent(Connection connection, long readAt) {}

    public JdbiConnectionRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    static Connection read(ResultSet rs) throws SQLException {
        Optional<SpCredential> credential = Optional.empty();
        String certificateId = rs.getString("sp_certificate_id");
        if (certificateId != null) {
            credential = Optional.of(new SpCredential(certificateId, rs.getString("sp_certificate_pem"),
                    Timestamps.read(rs, "sp_certificate_expiry"), new SealedValue(rs.getString("sp_private_key_sealed"))));
        }
        return new Connection(
                rs.getString("id"),
                rs.getString("environment_id"),
                rs.getString("organization_id"),
                ConnectionType.valueOf(rs.getString("connection_type")),
                ConnectionProvider.valueOf(rs.getString("provider")),
                rs.getBoolean("enabled"),
                rs.getBoolean("debug_enabled"),
                Optional.ofNullable(rs.getString("ui_button_title")),
                JsonColumns.readMap(rs.getString("attribute_mapping")),
                ConnectionSettingsJson.read(rs.getString("settings")),
                credential,
                Timestamps.read(rs, "create_time"),
                Timestamps.read(rs, "update_time"));
    }

    @Override
    public void insert(Connection c) {
        forget(c.environmentId(), c.id());
        tx.withHandle(h -> bindAll(h.createUpdate("""
                insert into connections (id, environment_id, organization_id, connection_type, provider, status, enabled,
                    debug_enabled, ui_button_title, attribute_mapping, settings, sp_certificate_id, sp_certificate_pem,
                    sp_certificate_expiry, sp_private_key_sealed, create_time, update_time)
                values (:id, :env, :org, :type, :provider, :status, :enabled, :debug, :title, :mapping, :settings,
                    :sp_cert_id, :sp_cert_pem, :sp_cert_expiry, :sp_key, :created, :updated)"""), c).execute());
    }

    @Override
    public Optional<Connection> findById(String environmentId, String connectionId) {
        return tx.withHandle(h -> h.createQuery("select * from connections where environment_id = :env and id = :id")
                .bind("env", environmentId).bind("id", connectionId).map(MAPPER).findOne());
    }

    @Override
    public Optional<Connection> findRecent(String environmentId, String connectionId) {
        if (tx.inTransaction()) {
            return findById(environmentId, connectionId); // may see this transaction's own write: never kept
        }
        Key key = new Key(environmentId, connectionId);
        long now = System.nanoTime();
        Recent kept = recent.get(key);
        if (kept != null && now - kept.readAt() < RECENT_FOR.toNanos()) {
            return Optional.of(kept.connection());
        }
        long before = generation.get();
        Optional<Connection> found = findById(environmentId, connectionId);
        if (found.isEmpty()) {
            recent.remove(key); // unknown IDs are not remembered (they cannot fill the map)
            return found;
        }
        if (recent.size() >= MAX_RECENT) {
            recent.clear();
        }
        // Under the key's lock: a forget that bumped the generation meanwhile either removes this entry after it is
        // put or is seen here, so a row read before a write never outlives the write's transaction.
        recent.compute(key, (k, old) -> generation.get() == before ? new Recent(found.get(), now) : old);
        return found;
    }

    /** Drops the connection from {@link #findRecent}'s memory now and once the open transaction (if any) has ended. */
    private void forget(String environmentId, String connectionId) {
        Key key = new Key(environmentId, connectionId);
        Runnable drop = () -> {
            generation.incrementAndGet();
            recent.remove(key);
        };
        drop.run();
        tx.afterTransaction(drop);
    }

    @Override
    public List<Connection> listByOrganization(String environmentId, String organizationId) {
        return tx.withHandle(h -> h.createQuery(
                        "select * from connections where environment_id = :env and organization_id = :org order by id")
                .bind("env", environmentId).bind("org", organizationId).map(MAPPER).list());
    }

    @Override
    public List<Connection> list(String environmentId, int limit) {
        return tx.withHandle(h -> h.createQuery("select * from connections where environment_id = :env order by id limit :limit")
                .bind("env", environmentId).bind("limit", limit).map(MAPPER).list());
    }

    @Override
    public Page<Connection> page(String environmentId, ConnectionFilter filter, PageRequest page) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("env", environmentId);
        StringBuilder where = new StringBuilder("environment_id = :env");
        filter.query().ifPresent(q -> {
            parameters.put("pattern", LikeLiteral.containing(q.toLowerCase(Locale.ROOT)));
            where.append(" and (lower(id) like :pattern escape '!' or lower(organization_id) like :pattern escape '!'"
                    + " or organization_id in (select o.id from organizations o where o.environment_id = :env"
                    + " and o.display_name_lower like :pattern escape '!'))");
        });
        filter.provider().ifPresent(p -> {
            parameters.put("provider", p.name());
            where.append(" and provider = :provider");
        });
        filter.status().ifPresent(s -> {
            parameters.put("status", s.name());
            where.append(" and status = :status");
        });
        filter.type().ifPresent(t -> {
            parameters.put("type", t.name());
            where.append(" and connection_type = :type");
        });
        filter.enabled().ifPresent(e -> {
            parameters.put("enabled", e);
            where.append(" and enabled = :enabled");
        });
        KeysetPager<Connection> pager = new KeysetPager<>("connections", where.toString(), parameters, MAPPER, Connection::id);
        return tx.withHandle(h -> pager.page(h, page));
    }

    @Override
    public boolean update(Connection c) {
        forget(c.environmentId(), c.id());
        return tx.withHandle(h -> bindAll(h.createUpdate("""
                update connections set provider = :provider, status = :status, enabled = :enabled, debug_enabled = :debug,
                    ui_button_title = :title, attribute_mapping = :mapping, settings = :settings,
                    sp_certificate_id = :sp_cert_id, sp_certificate_pem = :sp_cert_pem,
                    sp_certificate_expiry = :sp_cert_expiry, sp_private_key_sealed = :sp_key, update_time = :updated
                where environment_id = :env and organization_id = :org and id = :id and connection_type = :type"""), c)
                .execute()) == 1;
    }

    @Override
    public boolean delete(String environmentId, String connectionId) {
        forget(environmentId, connectionId);
        return tx.withHandle(h -> h.createUpdate("delete from connections where environment_id = :env and id = :id")
                .bind("env", environmentId).bind("id", connectionId).execute()) == 1;
    }

    @Override
    public void scheduleMetadataRefresh(String environmentId, String connectionId, Optional<Instant> next) {
        tx.withHandle(h -> h.createUpdate(
                        "update connections set metadata_refresh_at = :next where environment_id = :env and id = :id")
                .bind("env", environmentId).bind("id", connectionId).bind("next", Timestamps.bind(next.orElse(null)))
                .execute());
    }

    @Override
    public List<MetadataRefreshDue> dueForMetadataRefresh(Instant now, int limit) {
        return tx.withHandle(h -> h.createQuery("""
                        select environment_id, id, metadata_refresh_at from connections
                        where metadata_refresh_at <= :now order by metadata_refresh_at limit :limit""")
                .bind("now", Timestamps.bind(now)).bind("limit", limit)
                .map((rs, ctx) -> new MetadataRefreshDue(rs.getString("environment_id"), rs.getString("id"),
                        Timestamps.read(rs, "metadata_refresh_at")))
                .list());
    }

    @Override
    public boolean claimMetadataRefresh(String environmentId, String connectionId, Instant expected, Instant next) {
        return tx.withHandle(h -> h.createUpdate("""
                        update connections set metadata_refresh_at = :next
                        where environment_id = :env and id = :id and metadata_refresh_at = :expected""")
                .bind("env", environmentId).bind("id", connectionId)
                .bind("expected", Timestamps.bind(expected)).bind("next", Timestamps.bind(next))
                .execute()) == 1;
    }

    @Override
    public Optional<OrganizationRoute> organizationRoute(String environmentId, String organizationId) {
        return tx.withHandle(h -> h.createQuery("""
                        select o.id as route_organization_id, c.*, %s
                        from organizations o
                        left join connections c on c.environment_id = o.environment_id and c.organization_id = o.id
                        where o.environment_id = :env and o.id = :org
                        order by c.id""".formatted(ASSIGNED))
                .bind("env", environmentId).bind("org", organizationId)
                .reduceResultSet(new RouteRows(), (rows, rs, ctx) -> rows.add(rs, rs.getString("route_organization_id")))
                .route());
    }

    @Override
    public Optional<DomainRoute> domainRoute(String environmentId, String domain) {
        return tx.withHandle(h -> {
            RouteRows rows = h.createQuery("""
                            select d.id as d_id, d.environment_id as d_environment_id, d.organization_id as d_organization_id,
                                d.connection_id as d_connection_id, d.name as d_name, d.domain_type as d_domain_type,
                                d.verification_status as d_verification_status, d.verified_at as d_verified_at,
                                d.create_time as d_create_time, d.update_time as d_update_time, c.*, %s
                            from domains d
                            left join connections c on c.environment_id = d.environment_id and c.organization_id = d.organization_id
                            where d.environment_id = :env and d.name = :name
                            order by c.id""".formatted(ASSIGNED))
                    .bind("env", environmentId).bind("name", domain)
                    .reduceResultSet(new RouteRows(), (r, rs, ctx) -> {
                        if (r.domain == null) {
                            r.domain = JdbiDomainRepository.read(rs, "d_");
                        }
                        return r.add(rs, rs.getString("d_organization_id"));
                    });
            return rows.route().map(route -> new DomainRoute(rows.domain, route));
        });
    }

    /** Accumulates the rows of a routing query: the organization, its connections, and the restricted ones. */
    private static final class RouteRows {
        private String organizationId;
        private Domain domain;
        private final List<Connection> connections = new ArrayList<>();
        private final Set<String> restricted = new HashSet<>();

        RouteRows add(ResultSet rs, String organization) throws SQLException {
            organizationId = organization;
            if (rs.getString("id") != null) {
                Connection connection = read(rs);
                connections.add(connection);
                if (rs.getLong("assigned_domains") > 0) {
                    restricted.add(connection.id());
                }
            }
            return this;
        }

        Optional<OrganizationRoute> route() {
            return organizationId == null ? Optional.empty()
                    : Optional.of(new OrganizationRoute(organizationId, connections, restricted));
        }
    }

    private static Update bindAll(Update update, Connection c) {
        Optional<SpCredential> sp = c.spCredential();
        return update
                .bind("id", c.id())
                .bind("env", c.environmentId())
                .bind("org", c.organizationId())
                .bind("type", c.type().name())
                .bind("provider", c.provider().name())
                .bind("status", c.status().name())
                .bind("enabled", c.enabled())
                .bind("debug", c.debugEnabled())
                .bind("title", c.uiButtonTitle().orElse(null))
                .bind("mapping", JsonColumns.write(c.attributeMapping()))
                .bind("settings", ConnectionSettingsJson.write(c.settings()))
                .bind("sp_cert_id", sp.map(SpCredential::certificateId).orElse(null))
                .bind("sp_cert_pem", sp.map(SpCredential::certificatePem).orElse(null))
                .bind("sp_cert_expiry", Timestamps.bind(sp.map(SpCredential::expiryTime).orElse(null)))
                .bind("sp_key", sp.map(s -> s.sealedPrivateKey().base64()).orElse(null))
                .bind("created", Timestamps.bind(c.createTime()))
                .bind("updated", Timestamps.bind(c.updateTime()));
    }
}
