package dev.gatehouse.store;

import dev.gatehouse.core.organization.OrganizationFeature;
import dev.gatehouse.core.portal.PortalLink;
import dev.gatehouse.core.portal.PortalLinkRepository;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.mapper.RowMapper;

public final class JdbiPortalLinkRepository implements PortalLinkRepository {
    private static final RowMapper<PortalLink> MAPPER = (rs, ctx) -> new PortalLink(
            rs.getString("id"),
            rs.getString("environment_id"),
            rs.getString("organization_id"),
            readFeatures(rs.getString("features")),
            rs.getString("secret_sha256"),
            Timestamps.read(rs, "create_time"),
            Timestamps.read(rs, "expire_time"));

    private final JdbiTransactions tx;

    public JdbiPortalLinkRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(PortalLink link) {
        tx.withHandle(h -> h.createUpdate("""
                        insert into portal_links (id, environment_id, organization_id, secret_sha256, features,
                            create_time, expire_time)
                        values (:id, :env, :org, :secret, :features, :created, :expires)""")
                .bind("id", link.id()).bind("env", link.environmentId()).bind("org", link.organizationId())
                .bind("secret", link.secretHash()).bind("features", writeFeatures(link.features()))
                .bind("created", Timestamps.bind(link.createTime())).bind("expires", Timestamps.bind(link.expireTime()))
                .execute());
    }

    @Override
    public Optional<PortalLink> find(String environmentId, String linkId) {
        return tx.withHandle(h -> h.createQuery("select * from portal_links where environment_id = :env and id = :id")
                .bind("env", environmentId).bind("id", linkId).map(MAPPER).findOne());
    }

    @Override
    public List<PortalLink> listLive(String environmentId, String organizationId, Instant now) {
        return tx.withHandle(h -> h.createQuery("""
                        select * from portal_links
                        where environment_id = :env and organization_id = :org and expire_time > :now order by id""")
                .bind("env", environmentId).bind("org", organizationId).bind("now", Timestamps.bind(now))
                .map(MAPPER).list());
    }

    @Override
    public boolean delete(String environmentId, String organizationId, String linkId) {
        return tx.withHandle(h -> h.createUpdate(
                        "delete from portal_links where environment_id = :env and organization_id = :org and id = :id")
                .bind("env", environmentId).bind("org", organizationId).bind("id", linkId).execute()) == 1;
    }

    @Override
    public int deleteAll(String environmentId, String organizationId) {
        return tx.withHandle(h -> h.createUpdate(
                        "delete from portal_links where environment_id = :env and organization_id = :org")
                .bind("env", environmentId).bind("org", organizationId).execute());
    }

    @Override
    public int deleteExpiredBefore(Instant cutoff) {
        return tx.withHandle(h -> h.createUpdate("delete from portal_links where expire_time < :cutoff")
                .bind("cutoff", Timestamps.bind(cutoff)).execute());
    }

    static String writeFeatures(Set<OrganizationFeature> features) {
        return features.stream().sorted().map(OrganizationFeature::wireName).collect(Collectors.joining(" "));
    }

    static Set<OrganizationFeature> readFeatures(String column) {
        Set<OrganizationFeature> features = EnumSet.noneOf(OrganizationFeature.class);
        Arrays.stream(column.split(" ")).map(OrganizationFeature::fromWire).flatMap(Optional::stream).forEach(features::add);
        return features;
    }
}
