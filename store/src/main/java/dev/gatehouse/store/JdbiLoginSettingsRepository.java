package dev.gatehouse.store;

import dev.gatehouse.core.login.LoginSettings;
import dev.gatehouse.core.login.LoginSettingsRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Login settings, read on every login, code exchange and refresh: kept in memory for {@link #CACHED_FOR} per
 * environment (outside transactions), dropped on this node's own writes, so other nodes see a change within that
 * (docs/DECISIONS.md D-TP3).
 */
public final class JdbiLoginSettingsRepository implements LoginSettingsRepository {
    static final Duration CACHED_FOR = Duration.ofSeconds(5);
    private static final RowMapper<LoginSettings> MAPPER = (rs, ctx) -> new LoginSettings(
            rs.getString("environment_id"),
            rs.getBoolean("signup_allowed"),
            rs.getBoolean("organization_creation_allowed"),
            new LoginSettings.Branding(rs.getString("brand_name"), Optional.ofNullable(rs.getString("logo_url")),
                    rs.getString("primary_color"), rs.getString("background_color")),
            Duration.ofSeconds(rs.getInt("access_token_seconds")),
            Duration.ofSeconds(rs.getInt("refresh_token_seconds")),
            Duration.ofSeconds(rs.getInt("id_token_seconds")),
            Duration.ofSeconds(rs.getInt("session_idle_seconds")),
            Duration.ofSeconds(rs.getInt("session_absolute_seconds")));

    private final JdbiTransactions tx;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /** What storage said, and when ({@link System#nanoTime}). */
    private record Cached(Optional<LoginSettings> settings, long loadedAt) {}

    public JdbiLoginSettingsRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<LoginSettings> find(String environmentId) {
        if (tx.inTransaction()) {
            return read(environmentId); // may see this transaction's own, uncommitted write: never cached
        }
        long now = System.nanoTime();
        Cached cached = cache.get(environmentId);
        if (cached != null && now - cached.loadedAt() < CACHED_FOR.toNanos()) {
            return cached.settings();
        }
        Optional<LoginSettings> settings = read(environmentId);
        cache.put(environmentId, new Cached(settings, now));
        return settings;
    }

    private Optional<LoginSettings> read(String environmentId) {
        return tx.withHandle(h -> h.createQuery("select * from login_settings where environment_id = :env")
                .bind("env", environmentId).map(MAPPER).findOne());
    }

    @Override
    public void save(LoginSettings s, Instant now) {
        cache.remove(s.environmentId());
        tx.withHandle(h -> {
            int updated = bind(h.createUpdate("""
                    update login_settings set signup_allowed = :signup,
                        organization_creation_allowed = :orgs, brand_name = :brand, logo_url = :logo,
                        primary_color = :primary, background_color = :background, access_token_seconds = :access,
                        refresh_token_seconds = :refresh, id_token_seconds = :id, session_idle_seconds = :idle,
                        session_absolute_seconds = :absolute, update_time = :now
                    where environment_id = :env"""), s, now).execute();
            if (updated == 0) {
                bind(h.createUpdate("""
                        insert into login_settings (environment_id, signup_allowed,
                            organization_creation_allowed, brand_name, logo_url, primary_color, background_color,
                            access_token_seconds, refresh_token_seconds, id_token_seconds, session_idle_seconds,
                            session_absolute_seconds, update_time)
                        values (:env, :signup, :orgs, :brand, :logo, :primary, :background, :access, :refresh,
                            :id, :idle, :absolute, :now)"""), s, now).execute();
            }
            return null;
        });
        cache.remove(s.environmentId());
    }

    private static org.jdbi.v3.core.statement.Update bind(org.jdbi.v3.core.statement.Update update, LoginSettings s,
                                                          Instant now) {
        return update.bind("env", s.environmentId())
                .bind("signup", s.signupAllowed())
                .bind("orgs", s.organizationCreationAllowed())
                .bind("brand", s.branding().name())
                .bind("logo", s.branding().logoUrl().orElse(null))
                .bind("primary", s.branding().primaryColor())
                .bind("background", s.branding().backgroundColor())
                .bind("access", (int) s.accessTokenLifetime().toSeconds())
                .bind("refresh", (int) s.refreshTokenLifetime().toSeconds())
                .bind("id", (int) s.idTokenLifetime().toSeconds())
                .bind("idle", (int) s.sessionIdleTimeout().toSeconds())
                .bind("absolute", (int) s.sessionAbsoluteTimeout().toSeconds())
                .bind("now", Timestamps.bind(now));
    }
}
