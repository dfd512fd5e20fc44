package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.login.AuthorizationCode;
import dev.gatehouse.core.login.AuthorizeRequest;
import dev.gatehouse.core.login.LoginSettings;
import dev.gatehouse.core.login.LoginStep;
import dev.gatehouse.core.login.LoginTransaction;
import dev.gatehouse.core.login.RefreshToken;
import dev.gatehouse.core.login.Session;
import dev.gatehouse.core.login.SessionClient;
import dev.gatehouse.core.login.SessionFilter;
import dev.gatehouse.core.login.SessionStatus;
import dev.gatehouse.core.login.TokenGrant;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.shared.PageRequest;
import dev.gatehouse.core.user.User;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Login transactions, sessions, grants, codes and refresh tokens on H2 and PostgreSQL, scoped by environment. */
class LoginStoreTest {

    @EachDatabase
    void codesAndRefreshTokensAreUsableOnceAndGrantsRevokeOnce(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Stored s = new Stored(f, f.environment("alpha"));
            Instant now = now(f);

            assertThat(s.grants.findCode("code-hash")).hasValueSatisfying(c -> {
                assertThat(c.grantId()).isEqualTo(s.grant.id());
                assertThat(c.codeChallenge()).contains("challenge");
                assertThat(c.useTime()).isEmpty();
            });
            assertThat(s.grants.findCodeWithGrant(s.environment.id(), "code-hash")).hasValueSatisfying(c -> {
                assertThat(c.code()).isEqualTo(new AuthorizationCode("code-hash", s.environment.id(), s.grant.id(),
                        "https://app.test/cb", Optional.of("challenge"), now, now.plus(Duration.ofMinutes(5)),
                        Optional.empty()));
                assertThat(c.grant()).contains(s.grant);
                assertThat(c.session()).hasValueSatisfying(session -> {
                    assertThat(session.id()).isEqualTo(s.session.id());
                    assertThat(session.userId()).isEqualTo(s.user.id());
                    assertThat(session.idleExpireTime()).isEqualTo(s.session.idleExpireTime());
                });
            });
            assertThat(s.grants.findCodeWithGrant(s.environment.id(), "other-hash")).isEmpty();
            assertThat(s.grants.useCode("code-hash", now)).isTrue();
            assertThat(s.grants.useCode("code-hash", now)).isFalse();
            assertThat(s.grants.findCode("code-hash").orElseThrow().useTime()).contains(now);
            assertThat(s.grants.findCodeWithGrant(s.environment.id(), "code-hash").orElseThrow().code().useTime())
                    .contains(now);

            assertThat(s.grants.findRefreshTokenWithGrant(s.environment.id(), "refresh-hash")).hasValueSatisfying(t -> {
                assertThat(t.token()).isEqualTo(new RefreshToken("refresh-hash", s.environment.id(), s.grant.id(), now,
                        now.plus(Duration.ofDays(3)), Optional.empty()));
                assertThat(t.grant()).isEqualTo(s.grant);
                assertThat(t.session()).hasValueSatisfying(session -> {
                    assertThat(session.id()).isEqualTo(s.session.id());
                    assertThat(session.userId()).isEqualTo(s.user.id());
                    assertThat(session.amr()).containsExactly("otp");
                    assertThat(session.absoluteExpireTime()).isEqualTo(s.session.absoluteExpireTime());
                    assertThat(session.revokeTime()).isEmpty();
                });
            });
            assertThat(s.grants.findRefreshTokenWithGrant(s.environment.id(), "other-hash")).isEmpty();
            assertThat(s.grants.useRefreshToken("refresh-hash", now)).isTrue();
            assertThat(s.grants.useRefreshToken("refresh-hash", now)).isFalse();
            assertThat(s.grants.findRefreshTokenWithGrant(s.environment.id(), "refresh-hash").orElseThrow().token().useTime())
                    .contains(now);

            s.grants.revokeGrant(s.environment.id(), s.grant.id(), now, "first");
            s.grants.revokeGrant(s.environment.id(), s.grant.id(), now.plusSeconds(5), "second");
            TokenGrant revoked = s.grants.findGrant(s.environment.id(), s.grant.id()).orElseThrow();
            assertThat(revoked.revokeTime()).contains(now);
            assertThat(revoked.revokeReason()).contains("first");
            assertThat(revoked.scopes()).containsExactly("openid", "email", "offline_access");
            assertThat(revoked.amr()).containsExactly("otp");
        }
    }

    @EachDatabase
    void sessionsAreTouchedRevokedAndListedPerUser(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Stored s = new Stored(f, f.environment("alpha"));
            Instant later = now(f).plus(Duration.ofMinutes(10));

            s.sessions.touch(s.environment.id(), s.session.id(), Optional.of("org_9"), later, later.plus(Duration.ofDays(1)),
                    later.plus(Duration.ofDays(2)));
            Session touched = s.sessions.find(s.environment.id(), s.session.id()).orElseThrow();
            assertThat(touched.lastActiveTime()).isEqualTo(later);
            assertThat(touched.organizationId()).contains("org_9");
            assertThat(touched.idleExpireTime()).isEqualTo(later.plus(Duration.ofDays(1)));
            assertThat(touched.absoluteExpireTime()).isEqualTo(later.plus(Duration.ofDays(2)));

            // Activity is written only when the last one is older than the given time.
            Instant active = later.plus(Duration.ofSeconds(30));
            assertThat(s.sessions.recordActivity(s.environment.id(), s.session.id(), active, active.plus(Duration.ofDays(1)),
                    active.minus(Duration.ofMinutes(1)))).isFalse();
            active = later.plus(Duration.ofMinutes(2));
            assertThat(s.sessions.recordActivity(s.environment.id(), s.session.id(), active, active.plus(Duration.ofDays(1)),
                    active.minus(Duration.ofMinutes(1)))).isTrue();
            assertThat(s.sessions.find(s.environment.id(), s.session.id()).orElseThrow().idleExpireTime())
                    .isEqualTo(active.plus(Duration.ofDays(1)));
            assertThat(s.sessions.listActiveInOrganization(s.environment.id(), "org_9", active))
                    .extracting(Session::id).containsExactly(s.session.id());
            s.sessions.limit(s.environment.id(), s.session.id(), active.plus(Duration.ofMinutes(5)), active.plus(Duration.ofHours(1)));
            Session limited = s.sessions.find(s.environment.id(), s.session.id()).orElseThrow();
            assertThat(limited.idleExpireTime()).isEqualTo(active.plus(Duration.ofMinutes(5)));
            assertThat(limited.absoluteExpireTime()).isEqualTo(active.plus(Duration.ofHours(1)));
            assertThat(s.sessions.listActiveInOrganization(s.environment.id(), "org_9", active.plus(Duration.ofMinutes(6))))
                    .as("idle").isEmpty();
            assertThat(s.sessions.findByCookieHash("cookie-hash")).map(Session::id).contains(s.session.id());
            assertThat(s.sessions.listForUser(s.environment.id(), s.user.id(), SessionFilter.all(), later, new PageRequest(10, Optional.empty()))
                    .items()).extracting(Session::id).containsExactly(s.session.id());

            s.grants.insertGrant(new TokenGrant(f.ids.next(IdPrefix.GRANT), s.environment.id(), "skc_1", s.session.id(),
                    s.user.id(), Optional.of("org_9"), List.of("openid"), Optional.empty(), List.of("otp"), later, later,
                    Optional.empty(), Optional.empty()));
            s.grants.insertGrant(new TokenGrant(f.ids.next(IdPrefix.GRANT), s.environment.id(), "skc_1", s.session.id(),
                    s.user.id(), Optional.of("org_9"), List.of("openid"), Optional.empty(), List.of("otp"), later, later,
                    Optional.empty(), Optional.empty()));
            assertThat(s.grants.clientsOfSessions(s.environment.id(), List.of(s.session.id(), "ses_none")))
                    .as("distinct clients and organizations of the session's grants").containsExactlyInAnyOrder(
                            new SessionClient(s.session.id(), "skc_1", Optional.empty()),
                            new SessionClient(s.session.id(), "skc_1", Optional.of("org_9")));
            assertThat(s.grants.clientsOfSessions(s.environment.id(), List.of())).isEmpty();
            assertThat(s.grants.revokeGrantsOfSession(s.environment.id(), s.session.id(), later, "logout")).isEqualTo(3);
            assertThat(s.sessions.revoke(s.environment.id(), s.session.id(), later, "logout")).isTrue();
            assertThat(s.sessions.revoke(s.environment.id(), s.session.id(), later, "logout")).isFalse();
            assertThat(s.sessions.find(s.environment.id(), s.session.id()).orElseThrow().status(later))
                    .isEqualTo(Session.Status.REVOKED);
            assertThat(SessionStatus.of(s.sessions.find(s.environment.id(), s.session.id()).orElseThrow(), later))
                    .isEqualTo(SessionStatus.LOGOUT);
            PageRequest first = new PageRequest(10, Optional.empty());
            assertThat(s.sessions.listForUser(s.environment.id(), s.user.id(), new SessionFilter(
                    java.util.Set.of(SessionStatus.LOGOUT), Optional.empty(), Optional.empty()), later, first).items()).hasSize(1);
            assertThat(s.sessions.listForUser(s.environment.id(), s.user.id(), new SessionFilter(
                    java.util.Set.of(SessionStatus.ACTIVE, SessionStatus.REVOKED), Optional.empty(), Optional.empty()), later,
                    first).items()).isEmpty();
            assertThat(s.sessions.listForUser(s.environment.id(), s.user.id(), new SessionFilter(java.util.Set.of(),
                    Optional.of(later), Optional.empty()), later, first).items()).as("created before the window").isEmpty();
        }
    }

    /**
     * D-RB4: a login inserted on its own is committed at once and readable with every field (on PostgreSQL without
     * waiting for its WAL flush); one inserted inside an enclosing transaction leaves that transaction's commit durable.
     */
    @EachDatabase
    void loginTransactionsInsertedAloneOrInATransactionAreStoredWholeAndTheTransactionStaysDurable(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Stored s = new Stored(f, f.environment("alpha"));
            assertThat(s.logins.find(s.environment.id(), s.login.id())).contains(s.login);
            LoginTransaction federated = new LoginTransaction(f.ids.next(IdPrefix.LOGIN), s.environment.id(),
                    s.login.request(), LoginStep.AWAITING_IDP, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of("conn_1"), List.of(), "other-browser-hash", 0, s.login.createTime(), s.login.updateTime(),
                    s.login.expireTime());

            String setting = f.tx.inTransaction(() -> {
                s.logins.insert(federated);
                return "postgresql".equals(kind)
                        ? f.tx.withHandle(h -> h.createQuery("select current_setting('synchronous_commit')")
                                .mapTo(String.class).one())
                        : "on";
            });

            assertThat(setting).as("the enclosing transaction commits durably").isEqualTo("on");
            assertThat(s.logins.find(s.environment.id(), federated.id())).contains(federated);
        }
    }

    @EachDatabase
    void loginTransactionsMoveOnlyFromTheExpectedStep(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Stored s = new Stored(f, f.environment("alpha"));
            LoginTransaction stored = s.logins.find(s.environment.id(), s.login.id()).orElseThrow();
            assertThat(stored.request()).isEqualTo(s.login.request());

            LoginTransaction sent = stored.withEmail("ann@example.com", "challenge-1", now(f))
                    .moveTo(LoginStep.AWAITING_CODE, now(f));
            assertThat(s.logins.update(sent, LoginStep.AWAITING_EMAIL)).isTrue();
            assertThat(s.logins.update(sent, LoginStep.AWAITING_EMAIL)).as("a second racing update loses").isFalse();
            assertThat(s.logins.find(s.environment.id(), s.login.id()).orElseThrow().email()).contains("ann@example.com");

            f.clock.advance(Duration.ofHours(1));
            assertThat(s.logins.deleteExpired(now(f))).isEqualTo(1);
        }
    }

    @EachDatabase
    void settingsAreSavedAndReplaced(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            JdbiLoginSettingsRepository settings = new JdbiLoginSettingsRepository(f.tx);
            assertThat(settings.find(a.id())).isEmpty();
            LoginSettings custom = new LoginSettings(a.id(), false, false,
                    new LoginSettings.Branding("Acme", Optional.of("https://acme.test/logo.png"), "#112233", "#fff"),
                    Duration.ofMinutes(10), Duration.ofDays(1), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofDays(2));
            settings.save(LoginSettings.defaults(a.id()), now(f));
            settings.save(custom, now(f));
            assertThat(settings.find(a.id())).contains(custom);
        }
    }

    @EachDatabase
    void settingsAreKeptBrieflyAndDroppedOnThisNodesWrites(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            JdbiLoginSettingsRepository node = new JdbiLoginSettingsRepository(f.tx);
            node.save(LoginSettings.defaults(a.id()), now(f));
            assertThat(node.find(a.id()).orElseThrow().signupAllowed()).isTrue();

            f.database.jdbi().useHandle(h -> h.createUpdate(
                    "update login_settings set signup_allowed = false where environment_id = :env").bind("env", a.id()).execute());
            assertThat(node.find(a.id()).orElseThrow().signupAllowed()).as("kept in memory for a few seconds").isTrue();
            assertThat(new JdbiLoginSettingsRepository(f.tx).find(a.id()).orElseThrow().signupAllowed())
                    .as("another node reads storage").isFalse();
            assertThat(f.tx.inTransaction(() -> node.find(a.id())).orElseThrow().signupAllowed())
                    .as("inside a transaction storage is read").isFalse();

            LoginSettings closed = new LoginSettings(a.id(), false, true, LoginSettings.defaults(a.id()).branding(),
                    Duration.ofMinutes(10), Duration.ofDays(1), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofDays(2));
            node.save(closed, now(f));
            assertThat(node.find(a.id())).as("this node's write drops its copy").contains(closed);
        }
    }

    @EachDatabase
    void anotherEnvironmentSeesNothing(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Stored s = new Stored(f, f.environment("alpha"));
            Environment b = f.environment("beta");

            assertThat(s.logins.find(b.id(), s.login.id())).isEmpty();
            assertThat(s.sessions.find(b.id(), s.session.id())).isEmpty();
            assertThat(s.sessions.listForUser(b.id(), s.user.id(), SessionFilter.all(), now(f), new PageRequest(10, Optional.empty())).items()).isEmpty();
            assertThat(s.sessions.revoke(b.id(), s.session.id(), now(f), "x")).isFalse();
            assertThat(s.sessions.recordActivity(b.id(), s.session.id(), now(f).plusSeconds(600), now(f).plusSeconds(900),
                    now(f).plusSeconds(599))).isFalse();
            s.sessions.limit(b.id(), s.session.id(), now(f), now(f));
            assertThat(s.sessions.find(s.environment.id(), s.session.id()).orElseThrow().isActive(now(f))).isTrue();
            assertThat(s.sessions.revokeAllForUser(b.id(), s.user.id(), now(f), "x")).isZero();
            assertThat(s.grants.findGrant(b.id(), s.grant.id())).isEmpty();
            assertThat(s.grants.findRefreshTokenWithGrant(b.id(), "refresh-hash")).isEmpty();
            assertThat(s.grants.findCodeWithGrant(b.id(), "code-hash")).isEmpty();
            assertThat(s.grants.revokeGrantsOfSession(b.id(), s.session.id(), now(f), "x")).isZero();
            assertThat(s.grants.clientsOfSessions(b.id(), List.of(s.session.id()))).isEmpty();
            s.grants.revokeGrant(b.id(), s.grant.id(), now(f), "x");
            assertThat(s.grants.findGrant(s.environment.id(), s.grant.id()).orElseThrow().isRevoked()).isFalse();
            assertThat(s.sessions.find(s.environment.id(), s.session.id()).orElseThrow().revokeTime()).isEmpty();
        }
    }

    private static Instant now(StoreFixture f) {
        return f.clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** One of everything, stored in {@code environment}. */
    private static final class Stored {
        final Environment environment;
        final JdbiLoginTransactionRepository logins;
        final JdbiSessionRepository sessions;
        final JdbiGrantRepository grants;
        final User user;
        final LoginTransaction login;
        final Session session;
        final TokenGrant grant;

        Stored(StoreFixture f, Environment environment) {
            this.environment = environment;
            this.logins = new JdbiLoginTransactionRepository(f.tx);
            this.sessions = new JdbiSessionRepository(f.tx);
            this.grants = new JdbiGrantRepository(f.tx);
            Instant now = now(f);
            this.user = new UserFixture(f).users.signUp(environment.id(), "ann@example.com");
            AuthorizeRequest request = new AuthorizeRequest("skc_1", "https://app.test/cb",
                    List.of("openid", "email", "offline_access"), Optional.of("st"), Optional.of("n"),
                    Optional.of("challenge"), Set.of("login"), Optional.of("ann@example.com"), Optional.empty(),
                    Optional.empty(), Optional.of("example.com"), Optional.empty());
            this.login = new LoginTransaction(f.ids.next(IdPrefix.LOGIN), environment.id(), request,
                    LoginStep.AWAITING_EMAIL, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    List.of(), "browser-hash", 0,
                    now, now, now.plus(Duration.ofMinutes(15)));
            logins.insert(login);
            this.session = new Session(f.ids.next(IdPrefix.SESSION), environment.id(), user.id(), Optional.empty(),
                    "cookie-hash", List.of("otp"), Optional.of("127.0.0.1"), Optional.of("test"), now, now,
                    now.plus(Duration.ofDays(7)), now.plus(Duration.ofDays(30)), Optional.empty(), Optional.empty());
            sessions.insert(session);
            this.grant = new TokenGrant(f.ids.next(IdPrefix.GRANT), environment.id(), "skc_1", session.id(), user.id(),
                    Optional.empty(), List.of("openid", "email", "offline_access"), Optional.of("n"), List.of("otp"),
                    now, now, Optional.empty(), Optional.empty());
            grants.insertGrant(grant);
            grants.insertCode(new AuthorizationCode("code-hash", environment.id(), grant.id(), "https://app.test/cb",
                    Optional.of("challenge"), now, now.plus(Duration.ofMinutes(5)), Optional.empty()));
            grants.insertRefreshToken(new RefreshToken("refresh-hash", environment.id(), grant.id(), now,
                    now.plus(Duration.ofDays(3)), Optional.empty()));
        }
    }
}
