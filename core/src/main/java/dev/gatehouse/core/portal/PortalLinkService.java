package dev.gatehouse.core.portal;

import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.credential.SecretGenerator;
import dev.gatehouse.core.credential.SecretHash;
import dev.gatehouse.core.organization.OrganizationFeature;
import dev.gatehouse.core.organization.OrganizationRepository;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Admin portal links and the portal sessions they open (docs/DECISIONS.md D-AP1, D-AP2). A link carries 256 random
 * bits, kept as SHA-256; opening it in a browser starts a portal session (its own random cookie, SHA-256 stored)
 * scoped to the link's organization and features, ending after {@link #SESSION_LIFETIME} or with the link. The
 * link stays usable until it expires or is deleted, so an app can put it in an iframe on every page view.
 * Every refusal is audited.
 */
public final class PortalLinkService {
    public static final String PATH_PREFIX = "/portal/";
    public static final String KEY_PARAMETER = "key";
    public static final Duration LINK_LIFETIME = Duration.ofDays(7);
    public static final Duration SESSION_LIFETIME = Duration.ofHours(6);
    public static final String SESSION_STARTED = "portal.session.started";
    public static final String LINK_REJECTED = "portal.link.rejected";
    public static final String SESSION_REJECTED = "portal.session.rejected";
    public static final String REQUEST_REJECTED = "portal.request.rejected";
    private static final int MAX_ID_LENGTH = 40;

    private final PortalLinkRepository links;
    private final PortalSessionRepository sessions;
    private final OrganizationRepository organizations;
    private final IdGenerator ids;
    private final SecretGenerator secrets;
    private final AuditTrail audit;
    private final Clock clock;

    public PortalLinkService(PortalLinkRepository links, PortalSessionRepository sessions,
                             OrganizationRepository organizations, IdGenerator ids, SecretGenerator secrets,
                             AuditTrail audit, Clock clock) {
        this.links = links;
        this.sessions = sessions;
        this.organizations = organizations;
        this.ids = ids;
        this.secrets = secrets;
        this.audit = audit;
        this.clock = clock;
    }

    // ---- the management API

    /** A new link to the organization's portal; no features asked means both (SSO and directory sync). */
    public IssuedPortalLink generate(String environmentId, String organizationId, Set<OrganizationFeature> features) {
        requireOrganization(environmentId, organizationId);
        Instant now = now();
        String secret = secrets.next("");
        PortalLink link = new PortalLink(ids.next(IdPrefix.PORTAL_LINK), environmentId, organizationId,
                features.isEmpty() ? EnumSet.allOf(OrganizationFeature.class) : features, SecretHash.of(secret).hex(), now,
                now.plus(LINK_LIFETIME));
        links.insert(link);
        return new IssuedPortalLink(link, secret);
    }

    /** The organization's links that have not expired. */
    public List<PortalLink> listLive(String environmentId, String organizationId) {
        requireOrganization(environmentId, organizationId);
        return links.listLive(environmentId, organizationId, now());
    }

    /** Revokes one link: it stops opening the portal and its portal sessions end at once. */
    public void delete(String environmentId, String organizationId, String linkId) {
        requireOrganization(environmentId, organizationId);
        if (!links.delete(environmentId, organizationId, linkId)) {
            throw new DomainException.NotFound("portal link " + linkId + " not found");
        }
    }

    /** Revokes every link of the organization. */
    public int deleteAll(String environmentId, String organizationId) {
        requireOrganization(environmentId, organizationId);
        return links.deleteAll(environmentId, organizationId);
    }

    // ---- the portal's browser side

    /** What opening a link in a browser gives: a portal session (and the cookie to set), or a refusal. */
    public sealed interface Opening {
        record Opened(PortalSession session, String cookie) implements Opening {}

        /** {@code expired}: the key was right but the link's 7 days are over (else: unknown link or wrong key). */
        record Refused(boolean expired) implements Opening {}
    }

    /**
     * The link {@code linkId} opened with {@code presentedSecret}. A browser that already holds a live session of
     * this link keeps it, so reloading an iframe does not pile up sessions.
     */
    public Opening open(String environmentId, String linkId, String presentedSecret, Optional<String> currentCookie,
                        String ipAddress) {
        Instant now = now();
        Optional<PortalLink> link = wellFormed(linkId) ? links.find(environmentId, linkId) : Optional.empty();
        if (link.isEmpty() || presentedSecret == null || presentedSecret.isEmpty()
                || !new SecretHash(link.get().secretHash()).matches(presentedSecret)) {
            reject(environmentId, link.map(PortalLink::organizationId), LINK_REJECTED, "unknown link or wrong key",
                    bounded(linkId), ipAddress);
            return new Opening.Refused(false);
        }
        if (!link.get().isLive(now)) {
            reject(environmentId, Optional.of(link.get().organizationId()), LINK_REJECTED,
                    "link expired at " + link.get().expireTime(), linkId, ipAddress);
            return new Opening.Refused(true);
        }
        Optional<PortalSession> current = currentCookie.flatMap(this::byCookie)
                .filter(s -> s.environmentId().equals(environmentId) && s.linkId().equals(linkId) && s.isActive(now));
        if (current.isPresent()) {
            return new Opening.Opened(current.get(), currentCookie.get());
        }
        String cookie = secrets.next("");
        Instant sessionEnd = now.plus(SESSION_LIFETIME);
        PortalSession session = new PortalSession(ids.next(IdPrefix.PORTAL_SESSION), environmentId,
                link.get().organizationId(), linkId, link.get().features(), SecretHash.of(cookie).hex(), now,
                sessionEnd.isBefore(link.get().expireTime()) ? sessionEnd : link.get().expireTime());
        sessions.insert(session, ipAddress);
        audit.append(new AuditRecord(now, Optional.of(environmentId), Optional.of(session.organizationId()),
                SESSION_STARTED, AuditRecord.Outcome.SUCCESS, Optional.of(linkId), Optional.empty(),
                Optional.of(ipAddress), Map.of("portal_session_id", session.id()))
                .withTarget(session.id()));
        return new Opening.Opened(session, cookie);
    }

    /**
     * This browser's live portal session of {@code linkId}, from its cookie; empty (and audited) when there is no
     * cookie, the session ended, the link was deleted, or the session belongs to another link or environment.
     */
    public Optional<PortalSession> session(String environmentId, String linkId, Optional<String> cookie, String ipAddress) {
        Optional<PortalSession> found = cookie.flatMap(this::byCookie)
                .filter(s -> s.environmentId().equals(environmentId) && s.linkId().equals(linkId));
        if (found.isPresent() && found.get().isActive(now())) {
            return found;
        }
        String reason = cookie.isEmpty() ? "no portal session cookie"
                : found.isEmpty() ? "unknown portal session (ended, link deleted, or of another link)"
                : "portal session expired at " + found.get().expireTime();
        reject(environmentId, found.map(PortalSession::organizationId), SESSION_REJECTED, reason,
                wellFormed(linkId) ? linkId : bounded(linkId), ipAddress);
        return Optional.empty();
    }

    /** The CSRF token of the portal's forms: derived from the cookie value, so nothing is stored. */
    public static String csrfToken(String cookie, String sessionId) {
        return SecretHash.of(cookie + "|portal-csrf|" + sessionId).hex();
    }

    /** Whether a form post carries this session's CSRF token (compared in constant time); a mismatch is audited. */
    public boolean acceptsForm(PortalSession session, String cookie, String presentedCsrf, String ipAddress) {
        byte[] expected = csrfToken(cookie, session.id()).getBytes(StandardCharsets.UTF_8);
        byte[] presented = (presentedCsrf == null ? "" : presentedCsrf).getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(expected, presented)) {
            return true;
        }
        rejectRequest(session, "bad CSRF token", ipAddress);
        return false;
    }

    /** Audits a refused request of a portal session (a resource of another organization, a malformed form). */
    public void rejectRequest(PortalSession session, String reason, String ipAddress) {
        reject(session.environmentId(), Optional.of(session.organizationId()), REQUEST_REJECTED, reason,
                session.linkId(), ipAddress);
    }

    private Optional<PortalSession> byCookie(String cookie) {
        return sessions.findByCookieHash(SecretHash.of(cookie).hex());
    }

    private void reject(String environmentId, Optional<String> organizationId, String type, String reason,
                        String linkId, String ipAddress) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("link_id", linkId);
        audit.append(new AuditRecord(now(), Optional.of(environmentId), organizationId, type,
                AuditRecord.Outcome.FAILURE, Optional.empty(), Optional.of(reason), Optional.of(ipAddress), attributes));
    }

    private void requireOrganization(String environmentId, String organizationId) {
        if (organizations.findById(environmentId, organizationId).isEmpty()) {
            throw new DomainException.NotFound("organization " + organizationId + " not found");
        }
    }

    private static boolean wellFormed(String linkId) {
        return IdPrefix.PORTAL_LINK.matches(linkId) && linkId.length() <= MAX_ID_LENGTH;
    }

    private static String bounded(String value) {
        return value == null ? "" : value.length() > MAX_ID_LENGTH ? value.substring(0, MAX_ID_LENGTH) : value;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
