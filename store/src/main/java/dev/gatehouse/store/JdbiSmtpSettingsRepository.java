package dev.gatehouse.store;

import dev.gatehouse.core.mail.SmtpSettingsRepository;
import dev.gatehouse.core.mail.StoredSmtpSettings;
import dev.gatehouse.core.mail.TlsMode;
import java.util.Optional;

public final class JdbiSmtpSettingsRepository implements SmtpSettingsRepository {
    private final JdbiTransactions tx;

    public JdbiSmtpSettingsRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<StoredSmtpSettings> find(String environmentId) {
        return tx.withHandle(h -> h.createQuery("select * from smtp_settings where environment_id = :env")
                .bind("env", environmentId)
                .map((rs, ctx) -> new StoredSmtpSettings(rs.getString("environment_id"), rs.getString("host"),
                        rs.getInt("port"), TlsMode.valueOf(rs.getString("tls_mode")),
                        Optional.ofNullable(rs.getString("username")), Optional.ofNullable(rs.getString("sealed_password")),
                        rs.getString("from_address"), Optional.ofNullable(rs.getString("from_name")),
                        Timestamps.read(rs, "update_time")))
                .findOne());
    }

    @Override
    public void save(StoredSmtpSettings s) {
        tx.inTransaction(() -> tx.withHandle(h -> {
            h.createUpdate("delete from smtp_settings where environment_id = :env").bind("env", s.environmentId()).execute();
            return h.createUpdate("""
                            insert into smtp_settings (environment_id, host, port, tls_mode, username, sealed_password,
                                from_address, from_name, update_time)
                            values (:env, :host, :port, :tls, :username, :password, :from, :from_name, :updated)""")
                    .bind("env", s.environmentId()).bind("host", s.host()).bind("port", s.port())
                    .bind("tls", s.tlsMode().name()).bind("username", s.username().orElse(null))
                    .bind("password", s.sealedPassword().orElse(null)).bind("from", s.fromAddress())
                    .bind("from_name", s.fromName().orElse(null)).bind("updated", Timestamps.bind(s.updateTime()))
                    .execute();
        }));
    }

    @Override
    public boolean delete(String environmentId) {
        return tx.withHandle(h -> h.createUpdate("delete from smtp_settings where environment_id = :env")
                .bind("env", environmentId).execute()) == 1;
    }
}
