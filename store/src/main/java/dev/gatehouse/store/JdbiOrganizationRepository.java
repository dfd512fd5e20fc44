package dev.gatehouse.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationFeature;
import dev.gatehouse.core.organization.OrganizationRepository;
import dev.gatehouse.core.organization.RegionCode;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Update;

public final class JdbiOrganizationRepository implements OrganizationRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP = new TypeReference<>() {};
    private static final String EXTERNAL_ID_UNIQUE = "organizations_external_id_unique";

    private static final RowMapper<Organization> MAPPER = (rs, ctx) -> {
        Map<OrganizationFeature, Boolean> features = new EnumMap<>(OrganizationFeature.class);
        features.put(OrganizationFeature.SSO, rs.getBoolean("feature_sso"));
        features.put(OrganizationFeature.DIRECTORY_SYNC, rs.getBoolean("feature_dir_sync"));
        int maxUsers = rs.getInt("max_allowed_users");
        Optional<Integer> maxAllowedUsers = rs.wasNull() ? Optional.empty() : Optional.of(maxUsers);
        return new Organization(
                rs.getString("id"),
                rs.getString("environment_id"),
                rs.getString("display_name"),
                RegionCode.valueOf(rs.getString("region_code")),
                Optional.ofNullable(rs.getString("external_id")),
                readMetadata(rs.getString("metadata")),
                features,
                Optional.ofNullable(rs.getString("slug")),
                Optional.ofNullable(rs.getString("logo_url")),
                maxAllowedUsers,
                Timestamps.read(rs, "create_time"),
                Timestamps.read(rs, "update_time"));
    };

    private final JdbiTransactions tx;

    public JdbiOrganizationRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(Organization organization) {
        try {
            tx.withHandle(h -> bindAll(h.createUpdate("""
                    insert into organizations (id, environment_id, display_name, display_name_lower, region_code,
                        external_id, metadata, feature_sso, feature_dir_sync, slug, logo_url, max_allowed_users,
                        create_time, update_time)
                    values (:id, :env, :name, :name_lower, :region, :external_id, :metadata, :sso, :dir_sync, :slug,
                        :logo_url, :max_users, :created, :updated)"""), organization).execute());
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public Optional<Organization> findById(String environmentId, String organizationId) {
        return tx.withHandle(h -> h.createQuery("select * from organizations where environment_id = :env and id = :id")
                .bind("env", environmentId).bind("id", organizationId).map(MAPPER).findOne());
    }

    @Override
    public Optional<Organization> findByExternalId(String environmentId, String externalId) {
        return tx.withHandle(h -> h.createQuery(
                        "select * from organizations where environment_id = :env and external_id = :external_id")
                .bind("env", environmentId).bind("external_id", externalId).map(MAPPER).findOne());
    }

    @Override
    public Page<Organization> list(String environmentId, PageRequest page, Optional<String> externalId) {
        Map<String, Object> parameters = new TreeMap<>();
        parameters.put("env", environmentId);
        String filter = "environment_id = :env";
        if (externalId.isPresent()) {
            filter += " and external_id = :external_id";
            parameters.put("external_id", externalId.get());
        }
        KeysetPager<Organization> pager = new KeysetPager<>("organizations", filter, parameters, MAPPER, Organization::id);
        return tx.withHandle(h -> pager.page(h, page));
    }

    @Override
    public Page<Organization> search(String environmentId, String query, PageRequest page) {
        String pattern = LikeLiteral.containing(query.toLowerCase(Locale.ROOT));
        Map<String, Object> parameters = Map.of("env", environmentId, "pattern", pattern);
        String filter = "environment_id = :env and (display_name_lower like :pattern escape '!'"
                + " or lower(id) like :pattern escape '!' or lower(external_id) like :pattern escape '!')";
        KeysetPager<Organization> pager = new KeysetPager<>("organizations", filter, parameters, MAPPER, Organization::id);
        return tx.withHandle(h -> pager.page(h, page));
    }

    @Override
    public boolean update(Organization organization) {
        try {
            return tx.withHandle(h -> bindAll(h.createUpdate("""
                    update organizations set display_name = :name, display_name_lower = :name_lower,
                        region_code = :region, external_id = :external_id, metadata = :metadata, feature_sso = :sso,
                        feature_dir_sync = :dir_sync, slug = :slug, logo_url = :logo_url,
                        max_allowed_users = :max_users, update_time = :updated
                    where environment_id = :env and id = :id"""), organization).execute()) == 1;
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public boolean delete(String environmentId, String organizationId) {
        return tx.withHandle(h -> h.createUpdate("delete from organizations where environment_id = :env and id = :id")
                .bind("env", environmentId).bind("id", organizationId).execute()) == 1;
    }

    private static Update bindAll(Update update, Organization o) {
        return update
                .bind("id", o.id())
                .bind("env", o.environmentId())
                .bind("name", o.displayName())
                .bind("name_lower", o.displayName().toLowerCase(Locale.ROOT))
                .bind("region", o.regionCode().name())
                .bind("external_id", o.externalId().orElse(null))
                .bind("metadata", writeMetadata(o.metadata()))
                .bind("sso", o.isFeatureEnabled(OrganizationFeature.SSO))
                .bind("dir_sync", o.isFeatureEnabled(OrganizationFeature.DIRECTORY_SYNC))
                .bind("slug", o.slug().orElse(null))
                .bind("logo_url", o.logoUrl().orElse(null))
                .bind("max_users", o.maxAllowedUsers().orElse(null))
                .bind("created", Timestamps.bind(o.createTime()))
                .bind("updated", Timestamps.bind(o.updateTime()));
    }

    private static RuntimeException translate(RuntimeException e) {
        if (SqlErrors.isUniqueViolation(e, EXTERNAL_ID_UNIQUE)) {
            return new DomainException.AlreadyExists("external_id",
                    "an organization with this external_id already exists in the environment");
        }
        return e;
    }

    private static String writeMetadata(Map<String, String> metadata) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(metadata));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> readMetadata(String json) {
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("organization metadata column is not a JSON object", e);
        }
    }
}
