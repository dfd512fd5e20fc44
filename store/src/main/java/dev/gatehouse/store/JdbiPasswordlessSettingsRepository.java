package dev.gatehouse.store;

import dev.gatehouse.core.passwordless.PasswordlessSettings;
import dev.gatehouse.core.passwordless.PasswordlessSettingsRepository;
import dev.gatehouse.core.passwordless.PasswordlessType;
import java.time.Instant;
import java.util.Optional;

public final class JdbiPasswordlessSettingsRepository implements PasswordlessSettingsRepository {
    private final JdbiTransactions tx;

    public JdbiPasswordlessSettingsRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<PasswordlessSettings> find(String environmentId) {
        return tx.withHandle(h -> h.createQuery("select * from passwordless_settings where environment_id = :env")
                .bind("env", environmentId)
                .map((rs, ctx) -> new PasswordlessSettings(PasswordlessType.valueOf(rs.getString("passwordless_type")),
                        rs.getBoolean("enforce_same_browser_origin")))
                .findOne());
    }

    @Override
    public void save(String environmentId, PasswordlessSettings settings, Instant updateTime) {
        tx.withHandle(h -> {
            h.createUpdate("delete from passwordless_settings where environment_id = :env").bind("env", environmentId).execute();
            return h.createUpdate("""
                            insert into passwordless_settings (environment_id, passwordless_type, enforce_same_browser_origin,
                                update_time) values (:env, :type, :same_browser, :updated)""")
                    .bind("env", environmentId).bind("type", settings.type().name())
                    .bind("same_browser", settings.enforceSameBrowserOrigin()).bind("updated", Timestamps.bind(updateTime))
                    .execute();
        });
    }
}
