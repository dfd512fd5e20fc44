package dev.gatehouse.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.gatehouse.core.client.CustomClaim;
import dev.gatehouse.core.client.OrganizationClient;
import dev.gatehouse.core.client.OrganizationClientRepository;
import dev.gatehouse.core.credential.ClientSecret;
import dev.gatehouse.core.credential.SecretHash;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@code organization_clients} and {@code organization_client_secrets}. */
public final class JdbiOrganizationClientRepository implements OrganizationClientRepository {
    private static final TypeReference<List<LinkedHashMap<String, String>>> PAIRS = new TypeReference<>() {};
    private static final RowMapper<OrganizationClient> ROW = (rs, ctx) -> new OrganizationClient(
            rs.getString("id"), rs.getString("environment_id"), rs.getString("organization_id"), rs.getString("name"),
            rs.getString("description"), JsonColumns.readList(rs.getString("scopes")),
            JsonColumns.readList(rs.getString("audience")), readClaims(rs.getString("custom_claims")),
            rs.getLong("expiry_seconds"), Timestamps.read(rs, "create_time"), Timestamps.read(rs, "update_time"), List.of());
    private static final RowMapper<ClientSecret> SECRET = (rs, ctx) -> new ClientSecret(
            rs.getString("id"), rs.getString("client_id"), new SecretHash(rs.getString("secret_sha256")),
            rs.getString("suffix"), Timestamps.read(rs, "create_time"));

    private final JdbiTransactions tx;

    public JdbiOrganizationClientRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(OrganizationClient client) {
        tx.withHandle(h -> h.createUpdate("""
                        insert into organization_clients (id, environment_id, organization_id, name, description, scopes,
                            audience, custom_claims, expiry_seconds, create_time, update_time)
                        values (:id, :env, :org, :name, :description, :scopes, :audience, :claims, :expiry, :created, :updated)""")
                .bind("id", client.id())
                .bind("env", client.environmentId())
                .bind("org", client.organizationId())
                .bind("created", Timestamps.bind(client.createTime()))
                .bindMap(fields(client))
                .execute());
    }

    @Override
    public Optional<OrganizationClient> find(String environmentId, String organizationId, String clientId) {
        return tx.withHandle(h -> h.createQuery("""
                        select * from organization_clients where environment_id = :env and organization_id = :org and id = :id""")
                .bind("env", environmentId).bind("org", organizationId).bind("id", clientId)
                .map(ROW).findOne().map(c -> withSecrets(h, c)));
    }

    @Override
    public Optional<OrganizationClient> findForAuthentication(String clientId) {
        return tx.withHandle(h -> h.createQuery("select * from organization_clients where id = :id")
                .bind("id", clientId).map(ROW).findOne().map(c -> withSecrets(h, c)));
    }

    @Override
    public Page<OrganizationClient> list(String environmentId, String organizationId, PageRequest page) {
        return tx.withHandle(h -> {
            Page<OrganizationClient> rows = new KeysetPager<>("organization_clients",
                    "environment_id = :env and organization_id = :org", Map.of("env", environmentId, "org", organizationId),
                    ROW, OrganizationClient::id).page(h, page);
            return new Page<>(rows.items().stream().map(c -> withSecrets(h, c)).toList(), rows.next(), rows.previous(),
                    rows.totalSize());
        });
    }

    @Override
    public boolean lock(String environmentId, String organizationId, String clientId) {
        return tx.withHandle(h -> h.createQuery("""
                        select id from organization_clients
                        where environment_id = :env and organization_id = :org and id = :id for update""")
                .bind("env", environmentId).bind("org", organizationId).bind("id", clientId)
                .mapTo(String.class).findOne().isPresent());
    }

    @Override
    public boolean update(OrganizationClient client) {
        return tx.withHandle(h -> h.createUpdate("""
                        update organization_clients set name = :name, description = :description, scopes = :scopes,
                            audience = :audience, custom_claims = :claims, expiry_seconds = :expiry, update_time = :updated
                        where environment_id = :env and organization_id = :org and id = :id""")
                .bind("id", client.id())
                .bind("env", client.environmentId())
                .bind("org", client.organizationId())
                .bindMap(fields(client))
                .execute() == 1);
    }

    @Override
    public boolean delete(String environmentId, String organizationId, String clientId) {
        return tx.withHandle(h -> {
            if (h.createQuery("""
                            select id from organization_clients
                            where environment_id = :env and organization_id = :org and id = :id""")
                    .bind("env", environmentId).bind("org", organizationId).bind("id", clientId)
                    .mapTo(String.class).findOne().isEmpty()) {
                return false;
            }
            h.createUpdate("delete from organization_client_secrets where environment_id = :env and client_id = :id")
                    .bind("env", environmentId).bind("id", clientId).execute();
            return h.createUpdate("""
                            delete from organization_clients where environment_id = :env and organization_id = :org and id = :id""")
                    .bind("env", environmentId).bind("org", organizationId).bind("id", clientId).execute() == 1;
        });
    }

    @Override
    public void insertSecret(String environmentId, ClientSecret secret) {
        tx.withHandle(h -> h.createUpdate("""
                        insert into organization_client_secrets (id, environment_id, client_id, secret_sha256, suffix, create_time)
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
    public List<ClientSecret> secrets(String environmentId, String clientId) {
        return tx.withHandle(h -> secrets(h, environmentId, clientId));
    }

    @Override
    public boolean deleteSecret(String environmentId, String clientId, String secretId) {
        return tx.withHandle(h -> h.createUpdate(
                        "delete from organization_client_secrets where environment_id = :env and client_id = :client and id = :id")
                .bind("env", environmentId).bind("client", clientId).bind("id", secretId).execute() == 1);
    }

    private static Map<String, Object> fields(OrganizationClient client) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", client.name());
        fields.put("description", client.description());
        fields.put("scopes", JsonColumns.write(client.scopes()));
        fields.put("audience", JsonColumns.write(client.audience()));
        fields.put("claims", writeClaims(client.customClaims()));
        fields.put("expiry", client.expirySeconds());
        fields.put("updated", Timestamps.bind(client.updateTime()));
        return fields;
    }

    private static OrganizationClient withSecrets(Handle h, OrganizationClient client) {
        List<ClientSecret> secrets = secrets(h, client.environmentId(), client.id());
        return new OrganizationClient(client.id(), client.environmentId(), client.organizationId(), client.name(),
                client.description(), client.scopes(), client.audience(), client.customClaims(), client.expirySeconds(),
                client.createTime(), client.updateTime(), secrets);
    }

    private static List<ClientSecret> secrets(Handle h, String environmentId, String clientId) {
        return h.createQuery("""
                        select * from organization_client_secrets
                        where environment_id = :env and client_id = :client order by create_time, id""")
                .bind("env", environmentId).bind("client", clientId).map(SECRET).list();
    }

    /** Custom claims keep the order given: a JSON array of {"key", "value"} objects. */
    private static String writeClaims(List<CustomClaim> claims) {
        return JsonColumns.write(claims.stream().map(c -> {
            Map<String, String> pair = new LinkedHashMap<>();
            pair.put("key", c.key());
            pair.put("value", c.value());
            return pair;
        }).toList());
    }

    private static List<CustomClaim> readClaims(String json) {
        try {
            return JsonColumns.JSON.readValue(json, PAIRS).stream()
                    .map(pair -> new CustomClaim(pair.get("key"), pair.get("value"))).toList();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("custom_claims is not a JSON array of key/value pairs", e);
        }
    }
}
