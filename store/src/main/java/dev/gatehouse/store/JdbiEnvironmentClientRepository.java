package dev.gatehouse.store;

import dev.gatehouse.core.credential.ClientSecret;
import dev.gatehouse.core.credential.EnvironmentClient;
import dev.gatehouse.core.credential.EnvironmentClientRepository;
import dev.gatehouse.core.credential.SecretHash;
import dev.gatehouse.core.credential.SecretStatus;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

public final class JdbiEnvironmentClientRepository implements EnvironmentClientRepository {
    private static final RowMapper<EnvironmentClient> CLIENT = (rs, ctx) -> new EnvironmentClient(
            rs.getString("id"), rs.getString("environment_id"), rs.getString("name"), Timestamps.read(rs, "create_time"));
    static final RowMapper<ClientSecret> SECRET = (rs, ctx) -> new ClientSecret(
            rs.getString("id"), rs.getString("client_id"), new SecretHash(rs.getString("secret_sha256")),
            rs.getString("suffix"), Timestamps.read(rs, "create_time"), SecretStatus.valueOf(rs.getString("status")),
            Timestamps.readOptional(rs, "update_time").orElse(Timestamps.read(rs, "create_time")));

    private final JdbiTransactions tx;

    public JdbiEnvironmentClientRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(EnvironmentClient client) {
        tx.withHandle(h -> h.createUpdate("""
                        insert into environment_clients (id, environment_id, name, create_time)
                        values (:id, :env, :name, :created)""")
                .bind("id", client.id())
                .bind("env", client.environmentId())
                .bind("name", client.name())
                .bind("created", Timestamps.bind(client.createTime()))
                .execute());
    }

    @Override
    public void insertSecret(String environmentId, ClientSecret secret) {
        tx.withHandle(h -> h.createUpdate("""
                        insert into environment_client_secrets (id, environment_id, client_id, secret_sha256, suffix, create_time)
                        values (:id, :env, :client, :hash, :suffix, :created)""")
                .bind("id", secret.id())
                .bind("env", environmentId)
                .bind("client", secret.clientId())
                .bind("hash", secret.hash().hex())
                .bind("suffix", secret.suffix())
                .bind("created", Timestamps.bind(secret.createTime()))
                .execute());
    }

    @Override
    public Optional<EnvironmentClient> findById(String clientId) {
        return tx.withHandle(h -> h.createQuery("select * from environment_clients where id = :id")
                .bind("id", clientId).map(CLIENT).findOne());
    }

    @Override
    public List<ClientSecret> secrets(String environmentId, String clientId) {
        return tx.withHandle(h -> h.createQuery("""
                        select * from environment_client_secrets
                        where environment_id = :env and client_id = :client order by create_time, id""")
                .bind("env", environmentId).bind("client", clientId).map(SECRET).list());
    }

    @Override
    public List<EnvironmentClient> list(String environmentId) {
        return tx.withHandle(h -> h.createQuery("select * from environment_clients where environment_id = :env order by create_time, id")
                .bind("env", environmentId).map(CLIENT).list());
    }
}
