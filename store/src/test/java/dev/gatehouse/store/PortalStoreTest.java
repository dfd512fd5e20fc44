package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.credential.SecretGenerator;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.organization.NewOrganization;
import dev.gatehouse.core.organization.OrganizationFeature;
import dev.gatehouse.core.organization.OrganizationRef;
import dev.gatehouse.core.organization.RegionCode;
import dev.gatehouse.core.portal.IssuedPortalLink;
import dev.gatehouse.core.portal.PortalLinkService;
import dev.gatehouse.core.portal.PortalSession;
import dev.gatehouse.core.sessionpolicy.OrganizationSessionPolicy;
import dev.gatehouse.core.sessionpolicy.SessionPolicySource;
import dev.gatehouse.core.sessionpolicy.SessionTimeUnit;
import dev.gatehouse.core.sessionpolicy.SessionTimeout;
import dev.gatehouse.core.shared.DomainException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Portal links, portal sessions and session policies on H2 and PostgreSQL, with the link service on top. */
class PortalStoreTest {
    private static final String IP = "192.0.2.7";

    private record Wired(StoreFixture f, Environment environment, String organizationId, JdbiPortalLinkRepository links,
                         JdbiPortalSessionRepository sessions, PortalLinkService service) {}

    private static Wired wire(StoreFixture f) {
        Environment environment = f.environment("alpha");
        String organization = organization(f, environment);
        JdbiPortalLinkRepository links = new JdbiPortalLinkRepository(f.tx);
        JdbiPortalSessionRepository sessions = new JdbiPortalSessionRepository(f.tx);
        return new Wired(f, environment, organization, links, sessions, new PortalLinkService(links, sessions,
                f.organizationRepository, f.ids, new SecretGenerator(), f.audit, f.clock));
    }

    private static String organization(StoreFixture f, Environment environment) {
        return f.organizations.create(environment.id(), new NewOrganization("Acme", RegionCode.US, Optional.empty(),
                Map.of(), Optional.empty(), Optional.empty())).id();
    }

    private static PortalSession opened(PortalLinkService.Opening opening) {
        assertThat(opening).isInstanceOf(PortalLinkService.Opening.Opened.class);
        return ((PortalLinkService.Opening.Opened) opening).session();
    }

    @EachDatabase
    void aLinkOpensSessionsOfItsOrganizationUntilItExpiresOrIsDeleted(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Wired w = wire(f);
            String env = w.environment().id();
            IssuedPortalLink issued = w.service().generate(env, w.organizationId(), Set.of(OrganizationFeature.SSO));
            assertThat(issued.link().id()).startsWith("lnk_");
            assertThat(issued.link().secretHash()).doesNotContain(issued.secret());
            assertThat(issued.location("https://auth.example.test/")).isEqualTo(
                    "https://auth.example.test/portal/" + issued.link().id() + "?key=" + issued.secret());
            assertThat(issued.toString()).doesNotContain(issued.secret());
            assertThat(w.links().find(env, issued.link().id()).orElseThrow().features()).containsExactly(OrganizationFeature.SSO);

            PortalLinkService.Opening first = w.service().open(env, issued.link().id(), issued.secret(), Optional.empty(), IP);
            PortalSession session = opened(first);
            String cookie = ((PortalLinkService.Opening.Opened) first).cookie();
            assertThat(session.organizationId()).isEqualTo(w.organizationId());
            assertThat(session.features()).containsExactly(OrganizationFeature.SSO);
            assertThat(session.expireTime()).isEqualTo(session.createTime().plus(PortalLinkService.SESSION_LIFETIME));
            assertThat(w.service().session(env, issued.link().id(), Optional.of(cookie), IP)).contains(session);
            assertThat(opened(w.service().open(env, issued.link().id(), issued.secret(), Optional.of(cookie), IP)))
                    .as("the same browser keeps its session").isEqualTo(session);
            assertThat(f.count("portal_sessions")).isEqualTo(1);

            // CSRF tokens are derived from the cookie and compared; a wrong one is audited.
            String csrf = PortalLinkService.csrfToken(cookie, session.id());
            assertThat(w.service().acceptsForm(session, cookie, csrf, IP)).isTrue();
            assertThat(w.service().acceptsForm(session, cookie, csrf + "0", IP)).isFalse();
            assertThat(f.audit.recent(env, Optional.of(PortalLinkService.REQUEST_REJECTED), Instant.EPOCH, 10)).hasSize(1);

            f.clock.advance(PortalLinkService.SESSION_LIFETIME);
            assertThat(w.service().session(env, issued.link().id(), Optional.of(cookie), IP)).as("six hours").isEmpty();
            String later = ((PortalLinkService.Opening.Opened) w.service().open(env, issued.link().id(), issued.secret(),
                    Optional.of(cookie), IP)).cookie();
            assertThat(later).isNotEqualTo(cookie);

            w.service().delete(env, w.organizationId(), issued.link().id());
            assertThat(w.service().session(env, issued.link().id(), Optional.of(later), IP)).as("revoked").isEmpty();
            assertThat(f.count("portal_sessions")).isZero();
            assertThat(w.service().open(env, issued.link().id(), issued.secret(), Optional.empty(), IP))
                    .isEqualTo(new PortalLinkService.Opening.Refused(false));
            assertThatThrownBy(() -> w.service().delete(env, w.organizationId(), issued.link().id()))
                    .isInstanceOf(DomainException.NotFound.class);
        }
    }

    @EachDatabase
    void wrongKeysExpiredLinksAndOtherEnvironmentsAreRefusedAndAudited(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Wired w = wire(f);
            String env = w.environment().id();
            IssuedPortalLink issued = w.service().generate(env, w.organizationId(), Set.of());
            assertThat(issued.link().features()).containsExactlyInAnyOrder(OrganizationFeature.SSO, OrganizationFeature.DIRECTORY_SYNC);

            assertThat(w.service().open(env, issued.link().id(), "wrong", Optional.empty(), IP))
                    .isEqualTo(new PortalLinkService.Opening.Refused(false));
            Environment other = f.environment("beta");
            assertThat(w.service().open(other.id(), issued.link().id(), issued.secret(), Optional.empty(), IP))
                    .isEqualTo(new PortalLinkService.Opening.Refused(false));
            assertThat(w.links().find(other.id(), issued.link().id())).isEmpty();
            assertThatThrownBy(() -> w.service().generate(other.id(), w.organizationId(), Set.of()))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> w.service().listLive(other.id(), w.organizationId()))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThat(w.links().delete(other.id(), w.organizationId(), issued.link().id())).isFalse();

            f.clock.advance(PortalLinkService.LINK_LIFETIME);
            assertThat(w.service().open(env, issued.link().id(), issued.secret(), Optional.empty(), IP))
                    .isEqualTo(new PortalLinkService.Opening.Refused(true));
            assertThat(w.service().listLive(env, w.organizationId())).isEmpty();
            assertThat(f.audit.recent(env, Optional.of(PortalLinkService.LINK_REJECTED), Instant.EPOCH, 10))
                    .extracting(AuditRecord::reason).map(Optional::orElseThrow)
                    .anySatisfy(reason -> assertThat(reason).startsWith("link expired"))
                    .anySatisfy(reason -> assertThat(reason).isEqualTo("unknown link or wrong key"));
            assertThat(f.audit.recent(other.id(), Optional.of(PortalLinkService.LINK_REJECTED), Instant.EPOCH, 10))
                    .hasSize(1);
            assertThat(w.links().deleteExpiredBefore(f.clock.instant().plusSeconds(1))).isEqualTo(1);
        }
    }

    @EachDatabase
    void liveLinksAreListedAndDeletedPerOrganization(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Wired w = wire(f);
            String env = w.environment().id();
            String other = organization(f, w.environment());
            String first = w.service().generate(env, w.organizationId(), EnumSet.of(OrganizationFeature.DIRECTORY_SYNC)).link().id();
            f.clock.advance(Duration.ofDays(1));
            String second = w.service().generate(env, w.organizationId(), Set.of()).link().id();
            String elsewhere = w.service().generate(env, other, Set.of()).link().id();
            assertThat(w.service().listLive(env, w.organizationId())).extracting(l -> l.id()).containsExactly(first, second);
            f.clock.advance(Duration.ofDays(6));
            assertThat(w.service().listLive(env, w.organizationId())).extracting(l -> l.id()).containsExactly(second);
            assertThat(w.links().delete(env, other, first)).as("another organization's").isFalse();
            assertThat(w.service().deleteAll(env, w.organizationId())).isEqualTo(2);
            assertThat(w.service().listLive(env, other)).extracting(l -> l.id()).containsExactly(elsewhere);
            f.organizations.delete(env, new OrganizationRef.ById(other));
            assertThat(w.links().find(env, elsewhere)).as("deleted with its organization").isEmpty();
        }
    }

    @EachDatabase
    void sessionPoliciesAreSavedReplacedRememberedAndDeletedWithTheirOrganization(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment environment = f.environment("alpha");
            String organization = organization(f, environment);
            JdbiSessionPolicyRepository policies = new JdbiSessionPolicyRepository(f.tx);
            assertThat(policies.find(environment.id(), organization)).isEmpty();
            Instant now = f.clock.instant().truncatedTo(ChronoUnit.MICROS);
            OrganizationSessionPolicy custom = new OrganizationSessionPolicy(environment.id(), organization,
                    SessionPolicySource.CUSTOM, Optional.of(new SessionTimeout(6, SessionTimeUnit.HOURS)), true,
                    Optional.of(new SessionTimeout(84, SessionTimeUnit.MINUTES)), Optional.of(now));
            policies.save(custom);
            assertThat(policies.find(environment.id(), organization)).contains(custom);
            assertThat(policies.find(f.environment("beta").id(), organization)).isEmpty();
            OrganizationSessionPolicy application = new OrganizationSessionPolicy(environment.id(), organization,
                    SessionPolicySource.APPLICATION, Optional.empty(), false, Optional.empty(), Optional.of(now));
            policies.save(application);
            assertThat(policies.find(environment.id(), organization)).contains(application);
            // remembered for a few seconds (D-TP10): a save inside a transaction is read there from storage, and the
            // saving node forgets what it remembered; another node's memory is bypassed inside a transaction
            JdbiSessionPolicyRepository otherNode = new JdbiSessionPolicyRepository(f.tx);
            assertThat(otherNode.find(environment.id(), organization)).contains(application);
            f.tx.inTransaction(() -> {
                policies.save(custom);
                assertThat(policies.find(environment.id(), organization)).as("inside the transaction").contains(custom);
                return null;
            });
            assertThat(policies.find(environment.id(), organization)).as("the saving node").contains(custom);
            assertThat(f.tx.inTransaction(() -> otherNode.find(environment.id(), organization)))
                    .as("a read inside a transaction goes to storage").contains(custom);
            f.organizations.delete(environment.id(), new OrganizationRef.ById(organization));
            assertThat(f.count("organization_session_policies")).isZero();
        }
    }
}
