package dev.gatehouse.store;

import dev.gatehouse.core.connection.Domain;
import dev.gatehouse.core.connection.DomainRepository;
import dev.gatehouse.core.connection.DomainType;
import dev.gatehouse.core.connection.VerificationStatus;
import dev.gatehouse.core.shared.DomainException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

public final class JdbiDomainRepository implements DomainRepository {
    private static final RowMapper<Domain> MAPPER = (rs, ctx) -> read(rs, "");
    private static final String NAME_UNIQUE = "domains_name_unique";

    private final JdbiTransactions tx;

    public JdbiDomainRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    /** A domain from columns named with {@code prefix} (empty for a plain select). */
    static Domain read(ResultSet rs, String prefix) throws SQLException {
        return new Domain(
                rs.getString(prefix + "id"),
                rs.getString(prefix + "environment_id"),
                rs.getString(prefix + "organization_id"),
                Optional.ofNullable(rs.getString(prefix + "connection_id")),
                rs.getString(prefix + "name"),
                DomainType.valueOf(rs.getString(prefix + "domain_type")),
                VerificationStatus.valueOf(rs.getString(prefix + "verification_status")),
                Timestamps.readOptional(rs, prefix + "verified_at"),
                Timestamps.read(rs, prefix + "create_time"),
                Timestamps.read(rs, prefix + "update_time"));
    }

    @Override
    public void insert(Domain d) {
        try {
            tx.withHandle(h -> h.createUpdate("""
                    insert into domains (id, environment_id, organization_id, connection_id, name, domain_type,
                        verification_status, verified_at, create_time, update_time)
                    values (:id, :env, :org, :connection, :name, :type, :status, :verified, :created, :updated)""")
                    .bind("id", d.id()).bind("env", d.environmentId()).bind("org", d.organizationId())
                    .bind("connection", d.connectionId().orElse(null)).bind("name", d.name()).bind("type", d.type().name())
                    .bind("status", d.verificationStatus().name()).bind("verified", Timestamps.bind(d.verifiedAt().orElse(null)))
                    .bind("created", Timestamps.bind(d.createTime())).bind("updated", Timestamps.bind(d.updateTime()))
                    .execute());
        } catch (RuntimeException e) {
            if (SqlErrors.isUniqueViolation(e, NAME_UNIQUE)) {
                throw new DomainException.AlreadyExists("domain.domain", "the domain is already registered in this environment");
            }
            throw e;
        }
    }

    @Override
    public Optional<Domain> findById(String environmentId, String organizationId, String domainId) {
        return tx.withHandle(h -> h.createQuery(
                        "select * from domains where environment_id = :env and organization_id = :org and id = :id")
                .bind("env", environmentId).bind("org", organizationId).bind("id", domainId).map(MAPPER).findOne());
    }

    @Override
    public Optional<Domain> findByName(String environmentId, String name) {
        return tx.withHandle(h -> h.createQuery("select * from domains where environment_id = :env and name = :name")
                .bind("env", environmentId).bind("name", name).map(MAPPER).findOne());
    }

    @Override
    public List<Domain> listByOrganization(String environmentId, String organizationId, Optional<DomainType> type,
                                           int offset, int limit) {
        return tx.withHandle(h -> h.createQuery("select * from domains where environment_id = :env and organization_id = :org"
                        + (type.isPresent() ? " and domain_type = :type" : "") + " order by id limit :limit offset :offset")
                .bind("env", environmentId).bind("org", organizationId).bind("type", type.map(Enum::name).orElse(null))
                .bind("limit", limit).bind("offset", offset).map(MAPPER).list());
    }

    @Override
    public List<Domain> listByOrganizations(String environmentId, Collection<String> organizationIds) {
        if (organizationIds.isEmpty()) {
            return List.of();
        }
        return tx.withHandle(h -> h.createQuery(
                        "select * from domains where environment_id = :env and organization_id in (<orgs>) order by id")
                .bind("env", environmentId).bindList("orgs", List.copyOf(organizationIds)).map(MAPPER).list());
    }

    @Override
    public boolean update(Domain d) {
        return tx.withHandle(h -> h.createUpdate("""
                update domains set connection_id = :connection, verification_status = :status, verified_at = :verified,
                    update_time = :updated
                where environment_id = :env and organization_id = :org and id = :id""")
                .bind("id", d.id()).bind("env", d.environmentId()).bind("org", d.organizationId())
                .bind("connection", d.connectionId().orElse(null)).bind("status", d.verificationStatus().name())
                .bind("verified", Timestamps.bind(d.verifiedAt().orElse(null))).bind("updated", Timestamps.bind(d.updateTime()))
                .execute()) == 1;
    }

    @Override
    public boolean delete(String environmentId, String organizationId, String domainId) {
        return tx.withHandle(h -> h.createUpdate(
                        "delete from domains where environment_id = :env and organization_id = :org and id = :id")
                .bind("env", environmentId).bind("org", organizationId).bind("id", domainId).execute()) == 1;
    }
}
