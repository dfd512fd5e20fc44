package dev.gatehouse.store;

import dev.gatehouse.core.portal.PortalSession;
import dev.gatehouse.core.portal.PortalSessionRepository;
import java.time.Instant;
import java.util.Optional;

public final class JdbiPortalSessionRepository implements PortalSessionRepository {
    private final JdbiTransactions tx;

    public JdbiPortalSessionRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(PortalSession session, String ipAddress) {
        tx.withHandle(h -> h.createUpdate("""
                        insert into portal_sessions (id, environment_id, organization_id, link_id, cookie_sha256,
                            ip_address, create_time, expire_time)
                        values (:id, :env, :org, :link, :cookie, :ip, :created, :expires)""")
                .bind("id", session.id()).bind("env", session.environmentId()).bind("org", session.organizationId())
                .bind("link", session.linkId()).bind("cookie", session.cookieHash())
                .bind("ip", ipAddress.length() > 64 ? ipAddress.substring(0, 64) : ipAddress)
                .bind("created", Timestamps.bind(session.createTime()))
                .bind("expires", Timestamps.bind(session.expireTime()))
                .execute());
    }

    @Override
    public Optional<PortalSession> findByCookieHash(String cookieHash) {
        return tx.withHandle(h -> h.createQuery("""
                        select s.*, l.features from portal_sessions s join portal_links l on l.id = s.link_id
                        where s.cookie_sha256 = :cookie""")
                .bind("cookie", cookieHash)
                .map((rs, ctx) -> new PortalSession(rs.getString("id"), rs.getString("environment_id"),
                        rs.getString("organization_id"), rs.getString("link_id"),
                        JdbiPortalLinkRepository.readFeatures(rs.getString("features")), rs.getString("cookie_sha256"),
                        Timestamps.read(rs, "create_time"), Timestamps.read(rs, "expire_time")))
                .findOne());
    }

    @Override
    public int deleteExpiredBefore(Instant cutoff) {
        return tx.withHandle(h -> h.createUpdate("delete from portal_sessions where expire_time < :cutoff")
                .bind("cutoff", Timestamps.bind(cutoff)).execute());
    }
}
