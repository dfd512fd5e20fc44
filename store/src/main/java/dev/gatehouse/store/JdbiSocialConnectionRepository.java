package dev.gatehouse.store;

import dev.gatehouse.core.connection.SealedValue;
import dev.gatehouse.core.social.SocialConnection;
import dev.gatehouse.core.social.SocialConnectionRepository;
import dev.gatehouse.core.social.SocialProvider;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

public final class JdbiSocialConnectionRepository implements SocialConnectionRepository {
    private final JdbiTransactions tx;

    public JdbiSocialConnectionRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public List<SocialConnection> list(String environmentId) {
        return tx.withHandle(h -> h.createQuery("select * from social_connections where environment_id = :env order by provider")
                .bind("env", environmentId).map((rs, ctx) -> read(rs)).list());
    }

    @Override
    public Optional<SocialConnection> find(String environmentId, SocialProvider provider) {
        return tx.withHandle(h -> h.createQuery(
                        "select * from social_connections where environment_id = :env and provider = :provider")
                .bind("env", environmentId).bind("provider", provider.wire()).map((rs, ctx) -> read(rs)).findOne());
    }

    @Override
    public void save(SocialConnection c) {
        tx.inTransaction(() -> tx.withHandle(h -> {
            h.createUpdate("delete from social_connections where environment_id = :env and provider = :provider")
                    .bind("env", c.environmentId()).bind("provider", c.provider().wire()).execute();
            return h.createUpdate("""
                            insert into social_connections (environment_id, provider, client_id, sealed_secret, scopes,
                                authorize_url, token_url, profile_url, enabled, create_time, update_time)
                            values (:env, :provider, :client_id, :secret, :scopes, :authorize, :token, :profile, :enabled,
                                :created, :updated)""")
                    .bind("env", c.environmentId()).bind("provider", c.provider().wire()).bind("client_id", c.clientId())
                    .bind("secret", c.clientSecret().base64()).bind("scopes", String.join(" ", c.scopes()))
                    .bind("authorize", c.authorizeUrl().orElse(null)).bind("token", c.tokenUrl().orElse(null))
                    .bind("profile", c.profileUrl().orElse(null)).bind("enabled", c.enabled())
                    .bind("created", Timestamps.bind(c.createTime())).bind("updated", Timestamps.bind(c.updateTime()))
                    .execute();
        }));
    }

    @Override
    public boolean delete(String environmentId, SocialProvider provider) {
        return tx.withHandle(h -> h.createUpdate(
                        "delete from social_connections where environment_id = :env and provider = :provider")
                .bind("env", environmentId).bind("provider", provider.wire()).execute()) == 1;
    }

    private static SocialConnection read(ResultSet rs) throws SQLException {
        String scopes = rs.getString("scopes");
        return new SocialConnection(rs.getString("environment_id"),
                SocialProvider.fromWire(rs.getString("provider")).orElseThrow(), rs.getString("client_id"),
                new SealedValue(rs.getString("sealed_secret")),
                scopes.isBlank() ? List.of() : Arrays.asList(scopes.split(" ")),
                Optional.ofNullable(rs.getString("authorize_url")), Optional.ofNullable(rs.getString("token_url")),
                Optional.ofNullable(rs.getString("profile_url")), rs.getBoolean("enabled"),
                Timestamps.read(rs, "create_time"), Timestamps.read(rs, "update_time"));
    }
}
