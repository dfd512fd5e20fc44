package dev.gatehouse.store;

import dev.gatehouse.core.client.AppClientRepository;
import dev.gatehouse.core.client.AppClientSettings;
import dev.gatehouse.core.client.EnvironmentAppClient;
import dev.gatehouse.core.credential.ClientSecret;
import dev.gatehouse.core.credential.EnvironmentClient;
import dev.gatehouse.core.credential.SecretStatus;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** The ClientService view of {@code environment_clients} and {@code environment_client_secrets}. */
public final class JdbiAppClientRepository implements AppClientRepository {
    /** A client row without its secrets (they are read separately). */
    private static final RowMapper<EnvironmentAppClient> ROW = (rs, ctx) -> {
        Instant created = Timestamps.read(rs, "create_time");
        Long expiry = rs.getObject("access_token_expiry", Long.class);
        return new EnvironmentAppClient(
                new EnvironmentClient(rs.getString("id"), rs.getString("environment_id"), rs.getString("name"), created),
                Optional.ofNullable(rs.getString("client_type")).orElse(""),
                new AppClientSettings(
                        JsonColumns.readList(rs.getString("redirect_uris")),
                        Optional.ofNullable(rs.getString("default_redirect_uri")),
                        JsonColumns.readList(rs.getString("post_logout_redirect_uris")),
                        JsonColumns.readList(rs.getString("back_channel_logout_uris")),
                        Optional.ofNullable(rs.getString("initiate_login_uri")),
                        rs.getBoolean("enforce_pkce"),
                        Optional.ofNullable(expiry)),
                Timestamps.readOptional(rs, "update_time").orElse(created),
                List.of());
    };

    private final JdbiTransactions tx;

    public JdbiAppClientRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<EnvironmentAppClient> find(String environmentId, String clientId) {
        return tx.withHandle(h -> h.createQuery("select * from environment_clients where environment_id = :env and id = :id")
                .bind("env", environmentId).bind("id", clientId).map(ROW).findOne()
                .map(client -> withSecrets(h, client)));
    }

    @Override
    public Page<EnvironmentAppClient> list(String environmentId, List<String> clientTypes, PageRequest page) {
        StringBuilder filter = new StringBuilder("environment_id = :env");
        Map<String, Object> parameters = new java.util.HashMap<>(Map.of("env", environmentId));
        if (!clientTypes.isEmpty()) {
            filter.append(" and client_type in (");
            for (int i = 0; i < clientTypes.size(); i++) {
                filter.append(i == 0 ? ":type" : ", :type").append(i);
                parameters.put("type" + i, clientTypes.get(i));
            }
            filter.append(')');
        }
        return tx.withHandle(h -> {
            Page<EnvironmentAppClient> rows = new KeysetPager<>("environment_clients", filter.toString(),
                    Map.copyOf(parameters), ROW, EnvironmentAppClient::id).page(h, page);
            return new Page<>(rows.items().stream().map(c -> withSecrets(h, c)).toList(), rows.next(), rows.previous(),
                    rows.totalSize());
        });
    }

    @Override
    public boolean lock(String environmentId, String clientId) {
        return tx.withHandle(h -> h.createQuery(
                        "select id from environment_clients where environment_id = :env and id = :id for update")
                .bind("env", environmentId).bind("id", clientId).mapTo(String.class).findOne().isPresent());
    }

    @Override
    public boolean update(String environmentId, String clientId, String name, String clientType,
                          AppClientSettings settings, Instant updateTime) {
        return tx.withHandle(h -> h.createUpdate("""
                        update environment_clients set name = :name, client_type = :type, redirect_uris = :redirects,
                            default_redirect_uri = :defaultRedirect, post_logout_redirect_uris = :postLogout,
                            back_channel_logout_uris = :backChannel, initiate_login_uri = :initiateLogin,
                            enforce_pkce = :pkce, access_token_expiry = :expiry, update_time = :updated
                        where environment_id = :env and id = :id""")
                .bind("name", name)
                .bind("type", clientType)
                .bind("redirects", JsonColumns.write(settings.redirectUris()))
                .bind("defaultRedirect", settings.defaultRedirectUri().orElse(null))
                .bind("postLogout", JsonColumns.write(settings.postLogoutRedirectUris()))
                .bind("backChannel", JsonColumns.write(settings.backChannelLogoutUris()))
                .bind("initiateLogin", settings.initiateLoginUri().orElse(null))
                .bind("pkce", settings.enforcePkce())
                .bind("expiry", settings.accessTokenExpirySeconds().orElse(null))
                .bind("updated", Timestamps.bind(updateTime))
                .bind("env", environmentId)
                .bind("id", clientId)
                .execute() == 1);
    }

    @Override
    public boolean delete(String environmentId, String clientId) {
        return tx.withHandle(h -> {
            h.createUpdate("delete from environment_client_secrets where environment_id = :env and client_id = :id")
                    .bind("env", environmentId).bind("id", clientId).execute();
            return h.createUpdate("delete from environment_clients where environment_id = :env and id = :id")
                    .bind("env", environmentId).bind("id", clientId).execute() == 1;
        });
    }

    @Override
    public boolean updateSecretStatus(String environmentId, String clientId, String secretId, SecretStatus status,
                                      Instant updateTime) {
        return tx.withHandle(h -> h.createUpdate("""
                        update environment_client_secrets set status = :status, update_time = :updated
                        where environment_id = :env and client_id = :client and id = :id""")
                .bind("status", status.name()).bind("updated", Timestamps.bind(updateTime))
                .bind("env", environmentId).bind("client", clientId).bind("id", secretId)
                .execute() == 1);
    }

    @Override
    public boolean deleteSecret(String environmentId, String clientId, String secretId) {
        return tx.withHandle(h -> h.createUpdate(
                        "delete from environment_client_secrets where environment_id = :env and client_id = :client and id = :id")
                .bind("env", environmentId).bind("client", clientId).bind("id", secretId)
                .execute() == 1);
    }

    private static EnvironmentAppClient withSecrets(Handle h, EnvironmentAppClient client) {
        List<ClientSecret> secrets = h.createQuery("""
                        select * from environment_client_secrets
                        where environment_id = :env and client_id = :client order by create_time, id""")
                .bind("env", client.client().environmentId()).bind("client", client.id())
                .map(JdbiEnvironmentClientRepository.SECRET).list();
        return new EnvironmentAppClient(client.client(), client.clientType(), client.settings(), client.updateTime(), secrets);
    }
}
