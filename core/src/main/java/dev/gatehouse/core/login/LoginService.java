package dev.gatehouse.core.login;

import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.credential.SecretGenerator;
import dev.gatehouse.core.credential.SecretHash;
import dev.gatehouse.core.organization.NewOrganization;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationService;
import dev.gatehouse.core.organization.RegionCode;
import dev.gatehouse.core.ratelimit.RateLimit;
import dev.gatehouse.core.ratelimit.RateLimiter;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.shared.Transactions;
import dev.gatehouse.core.user.Membership;
import dev.gatehouse.core.user.MembershipStatus;
import dev.gatehouse.core.user.NewMembership;
import dev.gatehouse.core.user.UserRef;
import dev.gatehouse.core.user.UserService;
import dev.gatehouse.core.user.UserView;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The hosted login's state machine (see {@link LoginStep}): email first, then a one-time code or magic link, then
 * the organization, then a session and an authorization code. Every step checks that the request comes from the
 * browser that started the login (cookie hash) and carries that login's CSRF token. Every refusal is audited.
 */
public final class LoginService {
    public static final Duration LOGIN_LIFETIME = Duration.ofMinutes(15);
    public static final Duration CODE_LIFETIME = Duration.ofMinutes(5);
    public static final int MAX_FAILED_ATTEMPTS = 5;
    public static final int MAX_ORGANIZATION_NAME = 200;
    /** The reserved client ID of the admin portal's connection tests: no environment client can have it (D-AP4). */
    public static final String CONNECTION_TEST_CLIENT = "gatehouse:connection_test";

    private final LoginSettingsEditor settingsEditor;
    private final LoginTransactionRepository logins;
    private final SessionRepository sessions;
    private final GrantRepository grants;
    private final UserService users;
    private final OrganizationService organizations;
    private final EmailChallenges email;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final SecretGenerator secrets;
    private final Clock clock;
    private final Transactions transactions;
    private final RateLimiter rateLimiter;
    private final IdentityProviders identityProviders;
    private final UserIdentityRepository identities;
    private final LoginLimits limits;
    private final ConnectionTestRecorder connectionTests;
    private final SessionLifetimePolicy sessionLifetimes;

    public LoginService(LoginSettingsEditor settingsEditor, LoginTransactionRepository logins,
                        SessionRepository sessions, GrantRepository grants, UserService users,
                        OrganizationService organizations, EmailChallenges email, AuditTrail audit, IdGenerator ids,
                        SecretGenerator secrets, Clock clock, Transactions transactions, RateLimiter rateLimiter,
                        IdentityProviders identityProviders, UserIdentityRepository identities, LoginLimits limits,
                        SessionLifetimePolicy sessionLifetimes, ConnectionTestRecorder connectionTests) {
        this.connectionTests = connectionTests;
        this.limits = limits;
        this.sessionLifetimes = sessionLifetimes;
        this.rateLimiter = rateLimiter;
        this.identityProviders = identityProviders;
        this.identities = identities;
        this.settingsEditor = settingsEditor;
        this.logins = logins;
        this.sessions = sessions;
        this.grants = grants;
        this.users = users;
        this.organizations = organizations;
        this.email = email;
        this.audit = audit;
        this.ids = ids;
        this.secrets = secrets;
        this.clock = clock;
        this.transactions = transactions;
    }

    /** Who is asking: the browser's login-binding secret (from its cookie), its address and user agent. */
    public record Browser(String bindingSecret, Optional<String> sessionCookie, String ipAddress, Optional<String> userAgent) {}

    public LoginSettings settings(String environmentId) {
        return settingsEditor.get(environmentId);
    }

    /** The CSRF token of a login in this browser: derived from the browser's secret, so nothing is stored. */
    public static String csrfToken(String loginId, String bindingSecret) {
        return SecretHash.of(bindingSecret + "|csrf|" + loginId).hex();
    }

    /**
     * A validated authorize request arrives. An active session of this browser skips the login (unless
     * {@code prompt=login} or {@code prompt=create}); otherwise a login transaction starts at the email step.
     */
    public LoginOutcome start(String environmentId, String issuer, AuthorizeRequest request, Browser browser) {
        Instant now = now();
        Optional<Session> session = activeSession(environmentId, browser);
        if (session.isPresent() && !request.prompts("login") && !request.prompts("create")) {
            Optional<UserView> user = users.findById(environmentId, session.get().userId());
            if (user.isPresent()) {
                // Kept in memory: stored only if the user must still choose an organization (D-TP4).
                LoginTransaction transaction = newTransaction(environmentId, request, browser, now, LoginStep.AWAITING_CODE)
                        .withUser(user.get().user().id(), now)
                        .withProof(session.get().amr(), Optional.empty(), now);
                return afterProof(transaction, false, user.get(), session.get().amr(), issuer, browser, session);
            }
        }
        LoginTransaction transaction = newTransaction(environmentId, request, browser, now, LoginStep.AWAITING_EMAIL);
        logins.insert(transaction);
        return show(transaction, Optional.empty(), false);
    }

    /**
     * An authorize request that selects an identity provider (by {@code provider}, {@code connection_id},
     * {@code organization_id} or domain): a login transaction waiting for it, and the redirect there.
     */
    public LoginOutcome startFederated(String environmentId, String issuer, AuthorizeRequest request, Browser browser,
                                       String connectionId) {
        return startFederated(environmentId, issuer, request, browser, connectionId, identityProviders::start);
    }

    /**
     * {@link #startFederated(String, String, AuthorizeRequest, Browser, String)} through {@code starter}, e.g. one that
     * already holds the connection the router read for this request (docs/DECISIONS.md D-RB3).
     */
    public LoginOutcome startFederated(String environmentId, String issuer, AuthorizeRequest request, Browser browser,
                                       String connectionId, IdentityProviderStarter starter) {
        Instant now = now();
        LoginTransaction transaction = newTransaction(environmentId, request, browser, now, LoginStep.AWAITING_IDP)
                .withProof(List.of(), Optional.of(connectionId), now);
        logins.insert(transaction);
        return toIdentityProvider(transaction, starter.start(environmentId, connectionId, transaction), browser, issuer);
    }

    /** A prepared connection test: its login, and the binding secret of the browser that is to run it. */
    public record PreparedConnectionTest(String testId, String loginId, String bindingSecret) {
        @Override
        public String toString() {
            return "PreparedConnectionTest[" + testId + ", " + loginId + ", bindingSecret redacted]";
        }
    }

    /**
     * Prepares a test sign-in through {@code connectionId} for the admin portal (D-AP4): a login waiting for the
     * connection's identity provider, bound to a new binding secret that the browser running the test presents when it
     * goes on ({@link #continueConnectionTest}; the portal may be in an iframe, whose cookies a new window does not
     * share). It ends with {@link LoginOutcome.ConnectionTested} (the identity or the error), never with a user,
     * session or code. {@code resultUrl} is the portal page the result links back to. A complete connection may be
     * tested before it is enabled.
     */
    public PreparedConnectionTest prepareConnectionTest(String environmentId, Optional<String> organizationId,
                                                        String connectionId, String resultUrl) {
        AuthorizeRequest request = new AuthorizeRequest(CONNECTION_TEST_CLIENT, resultUrl, List.of("openid"),
                Optional.empty(), Optional.empty(), Optional.empty(), Set.of(), Optional.empty(), Optional.empty(),
                Optional.of(connectionId), Optional.empty(), Optional.empty());
        String binding = secrets.next("");
        Instant now = now();
        LoginTransaction transaction = newTransaction(environmentId, request,
                new Browser(binding, Optional.empty(), "", Optional.empty()), now, LoginStep.AWAITING_IDP)
                .withProof(List.of(), Optional.of(connectionId), now);
        String testId = transactions.inTransaction(() -> {
            logins.insert(transaction);
            return connectionTests.started(environmentId, organizationId, connectionId, transaction.id());
        });
        return new PreparedConnectionTest(testId, transaction.id(), binding);
    }

    /** The browser holding a prepared test's binding secret (as its login cookie) goes to the identity provider. */
    public LoginOutcome continueConnectionTest(String environmentId, String issuer, String loginId, Browser browser) {
        Optional<LoginTransaction> found = bound(environmentId, loginId, browser)
                .filter(t -> t.step() == LoginStep.AWAITING_IDP && t.testsConnection() && t.connectionId().isPresent());
        if (found.isEmpty()) {
            return invalid(environmentId, loginId, browser, "login.federation.rejected");
        }
        LoginTransaction transaction = found.get();
        return toIdentityProvider(transaction, identityProviders.start(environmentId, transaction.connectionId().get(),
                transaction), browser, issuer);
    }

    /** Off to the provider, or (when the connection cannot be used) back to the app with the seed's code. */
    private LoginOutcome toIdentityProvider(LoginTransaction transaction, IdentityProviderRedirect redirect,
                                            Browser browser, String issuer) {
        if (redirect instanceof IdentityProviderRedirect.Unavailable unavailable) {
            return failFederated(transaction, issuer, browser, unavailable.errorCode(),
                    unavailable.description(), unavailable.reason());
        }
        return new LoginOutcome.ToIdentityProvider(transaction, redirect);
    }

    /**
     * The identity provider vouched for {@code identity} (the protocol module verified it). Finds the user by the
     * linked identity, else by email (linked only when the provider says the address is verified), else signs
     * them up (JIT); an enterprise connection's user joins its organization. Then finishes like a proven code.
     */
    public LoginOutcome completeFederated(String environmentId, String issuer, String loginId, Browser browser,
                                          FederatedIdentity identity) {
        Optional<LoginTransaction> found = bound(environmentId, loginId, browser)
                .filter(t -> t.step() == LoginStep.AWAITING_IDP)
                .filter(t -> t.connectionId().equals(Optional.of(identity.connectionId())));
        if (found.isEmpty()) {
            return invalid(environmentId, loginId, browser, "login.federation.rejected");
        }
        LoginTransaction transaction = found.get();
        if (transaction.testsConnection()) {
            finish(transaction);
            connectionTests.succeeded(environmentId, transaction.id(), identity);
            audit.append(new AuditRecord(now(), Optional.of(environmentId), identity.organizationId(),
                    "sso.connection.test.succeeded", AuditRecord.Outcome.SUCCESS, Optional.empty(), Optional.empty(),
                    Optional.of(browser.ipAddress()), Map.of("connection_id", identity.connectionId(),
                    "login_id", transaction.id(), "email", identity.email())));
            return new LoginOutcome.ConnectionTested(transaction, identity.connectionId(), Optional.of(identity),
                    Optional.empty(), Optional.empty(), Optional.empty());
        }
        Instant now = now();
        Optional<UserView> user = identities.find(environmentId, identity.connectionId(), identity.subject())
                .flatMap(linked -> users.findById(environmentId, linked.userId()));
        if (user.isEmpty()) {
            Optional<UserView> byEmail = users.findByEmail(environmentId, identity.email());
            if (byEmail.isPresent() && !identity.emailVerified()) {
                return failFederated(transaction, issuer, browser, "access_denied",
                        "The identity provider did not verify this email address",
                        "unverified email " + identity.email() + " matches an existing user; not linked");
            }
            user = Optional.of(byEmail.orElseGet(() -> users.findById(environmentId, users.signUp(environmentId,
                    identity.email(), profileOf(identity)).id()).orElseThrow()));
        }
        user = Optional.of(withAssertedCustomAttributes(user.get(), identity));
        String userId = user.get().user().id();
        identities.save(new UserIdentity(environmentId, userId, identity.connectionId(), identity.subject(),
                identity.organizationId(), identity.connectionType(), identity.providerName(), identity.social(),
                identity.email(), identity.rawAttributes(), now, now));
        LoginTransaction proven = transaction.withUser(userId, now).withProof(List.of(identity.connectionId()),
                transaction.connectionId(), now);
        List<String> amr = List.of(identity.connectionId());
        if (identity.organizationId().isPresent()) {
            String organizationId = identity.organizationId().get();
            Optional<Membership> membership = user.get().memberships().stream()
                    .filter(m -> m.organizationId().equals(organizationId)).findFirst();
            if (membership.isPresent() && membership.get().status(now) == MembershipStatus.INACTIVE) {
                return failFederated(transaction, issuer, browser, "access_denied",
                        "The user's access to this organization is deactivated", "membership inactive");
            }
            if (membership.isEmpty()) {
                users.createMembership(environmentId, organizationId, new UserRef.ById(userId),
                        NewMembership.defaults(), false);
            }
            UserView member = users.findById(environmentId, userId).orElseThrow();
            return complete(proven, true, member, Optional.of(organizationId), amr, issuer, browser,
                    activeSession(environmentId, browser).filter(s -> s.userId().equals(userId)));
        }
        return afterProof(proven, true, user.get(), amr, issuer, browser,
                activeSession(environmentId, browser).filter(s -> s.userId().equals(userId)));
    }

    /**
     * The identity provider's answer was refused: the app gets {@code errorCode} (a seed code) at its redirect URI,
     * the admin gets {@code reason} in the audit trail.
     */
    public LoginOutcome failFederated(String environmentId, String issuer, String loginId, Browser browser,
                                      String errorCode, String description, String reason) {
        return failFederated(environmentId, issuer, loginId, browser, errorCode, description, reason, Map.of());
    }

    /**
     * As {@link #failFederated(String, String, String, Browser, String, String, String)}, with {@code details} (such
     * as the {@code step} of the provider's answer that failed validation) added to the audit record's attributes.
     */
    public LoginOutcome failFederated(String environmentId, String issuer, String loginId, Browser browser,
                                      String errorCode, String description, String reason, Map<String, String> details) {
        Optional<LoginTransaction> found = bound(environmentId, loginId, browser)
                .filter(t -> t.step() == LoginStep.AWAITING_IDP);
        if (found.isEmpty()) {
            return invalid(environmentId, loginId, browser, "login.federation.rejected");
        }
        return failFederated(found.get(), issuer, browser, errorCode, description, reason, details);
    }

    private LoginOutcome failFederated(LoginTransaction transaction, String issuer, Browser browser, String errorCode,
                                       String description, String reason) {
        return failFederated(transaction, issuer, browser, errorCode, description, reason, Map.of());
    }

    private LoginOutcome failFederated(LoginTransaction transaction, String issuer, Browser browser, String errorCode,
                                       String description, String reason, Map<String, String> details) {
        Map<String, String> attributes = new HashMap<>(details);
        attributes.put("error", errorCode);
        transaction.connectionId().ifPresent(connection -> attributes.putIfAbsent("connection_id", connection));
        reject(transaction, browser, "login.federation.rejected", errorCode, errorCode + ": " + reason, attributes);
        finish(transaction);
        if (transaction.testsConnection()) {
            connectionTests.failed(transaction.environmentId(), transaction.id(), errorCode, description, reason);
            return new LoginOutcome.ConnectionTested(transaction, transaction.connectionId().orElse(""), Optional.empty(),
                    Optional.of(errorCode), Optional.of(description), Optional.of(reason));
        }
        AuthorizeRequest request = transaction.request();
        return new LoginOutcome.Redirect(ClientRedirect.error(request.redirectUri(), errorCode, description,
                request.state(), issuer), Optional.empty());
    }

    /**
     * The login {@code loginId} of this browser while it waits for an identity provider (read-only, no audit): a
     * protocol module checks it before spending the provider's one-use code, and a provider page served by Gatehouse
     * itself (the IdP simulator, D-SIM3) before showing; empty when unknown, expired, finished or of another browser.
     */
    public Optional<LoginTransaction> awaitingIdentityProvider(String environmentId, String loginId, Browser browser) {
        return bound(environmentId, loginId, browser).filter(t -> t.step() == LoginStep.AWAITING_IDP);
    }

    private static dev.gatehouse.core.user.UserProfile profileOf(FederatedIdentity identity) {
        return new dev.gatehouse.core.user.UserProfile(identity.givenName().orElse(""), identity.familyName().orElse(""),
                identity.name().orElse(""), identity.locale().orElse(""), "", "", "", "", identity.picture().orElse(""),
                "", List.of(), Map.of(), UserService.withAssertedCustomAttributes(Map.of(), identity.customAttributes()));
    }

    /** The user with the custom attributes the connection maps (D-PR2) as the identity provider sent them now. */
    private UserView withAssertedCustomAttributes(UserView view, FederatedIdentity identity) {
        var updated = users.applyAssertedCustomAttributes(view.user(), identity.customAttributes());
        return updated == view.user() ? view : new UserView(updated, view.memberships());
    }

    /** The current page of a login, for GET requests. */
    public LoginOutcome view(String environmentId, String loginId, Browser browser) {
        return bound(environmentId, loginId, browser).map(t -> show(t, Optional.empty(), false))
                .orElseGet(() -> invalid(environmentId, loginId, browser, "login.view.rejected"));
    }

    public LoginOutcome submitEmail(String environmentId, String issuer, String loginId, Browser browser, String csrf,
                                    String address, String linkUrl) {
        Optional<LoginTransaction> found = boundWithCsrf(environmentId, loginId, browser, csrf);
        if (found.isEmpty()) {
            return invalid(environmentId, loginId, browser, "login.email.rejected");
        }
        LoginTransaction transaction = found.get();
        if (transaction.step() != LoginStep.AWAITING_EMAIL && transaction.step() != LoginStep.AWAITING_CODE) {
            return show(transaction, Optional.empty(), false);
        }
        Optional<LoginOutcome> throttled = throttle(transaction, browser, "login-email-ip:" + browser.ipAddress(),
                limits.emailsPerIp());
        if (throttled.isPresent()) {
            return throttled.get();
        }
        String normalized = address == null ? "" : address.strip();
        if (!UserService.isValidEmail(normalized)) {
            reject(transaction, browser, "login.email.rejected", "invalid_email", "malformed email address");
            return show(transaction, Optional.of("Enter a valid email address."), false);
        }
        Optional<String> connection = identityProviders.connectionForEmail(environmentId, normalized);
        if (connection.isPresent()) {
            LoginTransaction routed = transaction.withProof(List.of(), connection, now());
            routed = routed.step() == LoginStep.AWAITING_EMAIL ? routed.moveTo(LoginStep.AWAITING_IDP, now())
                    : routed.moveTo(LoginStep.AWAITING_EMAIL, now()).moveTo(LoginStep.AWAITING_IDP, now());
            if (!logins.update(routed, transaction.step())) {
                return invalid(environmentId, loginId, browser, "login.email.rejected");
            }
            return toIdentityProvider(routed, identityProviders.start(environmentId, connection.get(), routed), browser, issuer);
        }
        LoginSettings settings = settings(environmentId);
        boolean known = users.findByEmail(environmentId, normalized).isPresent();
        if (!known && !settings.signupAllowed() && !transaction.request().prompts("create")) {
            reject(transaction, browser, "login.email.rejected", "signup_disabled", "unknown user and sign-up is disabled");
            return show(transaction, Optional.of("There is no account for this address."), false);
        }
        EmailChallenges.Sent sent;
        try {
            sent = email.send(environmentId, normalized, linkUrl, settings.branding().name());
        } catch (EmailChallenges.TooManyEmails e) {
            reject(transaction, browser, "login.rate_limited", "too_many_emails", "too many emails to this address");
            return new LoginOutcome.Throttled(e.retryAfter());
        }
        LoginTransaction updated = transaction.withEmail(normalized, sent.challengeId(), now());
        if (transaction.step() == LoginStep.AWAITING_EMAIL) {
            updated = updated.moveTo(LoginStep.AWAITING_CODE, now());
        }
        if (!logins.update(updated, transaction.step())) {
            return invalid(environmentId, loginId, browser, "login.email.rejected");
        }
        return show(updated, Optional.empty(), true);
    }

    /** Back to the email step ("use a different address"). */
    public LoginOutcome restart(String environmentId, String loginId, Browser browser, String csrf) {
        Optional<LoginTransaction> found = boundWithCsrf(environmentId, loginId, browser, csrf);
        if (found.isEmpty()) {
            return invalid(environmentId, loginId, browser, "login.restart.rejected");
        }
        LoginTransaction transaction = found.get();
        if (transaction.step() != LoginStep.AWAITING_CODE) {
            return show(transaction, Optional.empty(), false);
        }
        LoginTransaction updated = transaction.moveTo(LoginStep.AWAITING_EMAIL, now());
        logins.update(updated, transaction.step());
        return show(updated, Optional.empty(), false);
    }

    public LoginOutcome submitCode(String environmentId, String issuer, String loginId, Browser browser, String csrf,
                                   String code) {
        Optional<LoginTransaction> found = boundWithCsrf(environmentId, loginId, browser, csrf);
        if (found.isEmpty()) {
            return invalid(environmentId, loginId, browser, "login.code.rejected");
        }
        LoginTransaction transaction = found.get();
        if (transaction.step() != LoginStep.AWAITING_CODE || transaction.challengeId().isEmpty()) {
            return show(transaction, Optional.empty(), false);
        }
        if (transaction.failedAttempts() >= MAX_FAILED_ATTEMPTS) {
            reject(transaction, browser, "login.code.rejected", "too_many_attempts", "too many wrong codes");
            return new LoginOutcome.Throttled(Duration.between(now(), transaction.expireTime()));
        }
        Optional<LoginOutcome> throttled = throttleProof(transaction, browser);
        if (throttled.isPresent()) {
            return throttled.get();
        }
        String presented = code == null ? "" : code.strip();
        var result = email.verifyCode(environmentId, transaction.challengeId().get(), presented);
        return proven(transaction, result, issuer, browser);
    }

    /** A magic link opened: accepted only in the browser that started this login (same-browser enforcement). */
    public LoginOutcome acceptLink(String environmentId, String issuer, String loginId, Browser browser, String linkToken) {
        Optional<LoginTransaction> found = bound(environmentId, loginId, browser);
        if (found.isEmpty()) {
            return invalid(environmentId, loginId, browser, "login.link.rejected");
        }
        LoginTransaction transaction = found.get();
        if (transaction.step() != LoginStep.AWAITING_CODE || transaction.challengeId().isEmpty()) {
            return show(transaction, Optional.empty(), false);
        }
        Optional<LoginOutcome> throttled = throttleProof(transaction, browser);
        if (throttled.isPresent()) {
            return throttled.get();
        }
        var result = email.verifyLink(environmentId, linkToken == null ? "" : linkToken, transaction.challengeId().get());
        return proven(transaction, result, issuer, browser);
    }

    public LoginOutcome chooseOrganization(String environmentId, String issuer, String loginId, Browser browser,
                                           String csrf, String organizationId) {
        Optional<LoginTransaction> found = boundWithCsrf(environmentId, loginId, browser, csrf);
        if (found.isEmpty()) {
            return invalid(environmentId, loginId, browser, "login.organization.rejected");
        }
        LoginTransaction transaction = found.get();
        if (transaction.step() != LoginStep.AWAITING_ORGANIZATION || transaction.userId().isEmpty()) {
            return show(transaction, Optional.empty(), false);
        }
        UserView user = users.findById(environmentId, transaction.userId().get()).orElse(null);
        if (user == null || eligible(user).stream().noneMatch(m -> m.organizationId().equals(organizationId))) {
            reject(transaction, browser, "login.organization.rejected", "not_a_member", "not a member of " + organizationId);
            return show(transaction, Optional.of("Choose one of your organizations."), false);
        }
        return complete(transaction, true, user, Optional.of(organizationId), amrOf(transaction), issuer, browser,
                activeSession(environmentId, browser));
    }

    public LoginOutcome createOrganization(String environmentId, String issuer, String loginId, Browser browser,
                                           String csrf, String name) {
        Optional<LoginTransaction> found = boundWithCsrf(environmentId, loginId, browser, csrf);
        if (found.isEmpty()) {
            return invalid(environmentId, loginId, browser, "login.organization.rejected");
        }
        LoginTransaction transaction = found.get();
        if (transaction.step() != LoginStep.AWAITING_ORGANIZATION || transaction.userId().isEmpty()
                || !settings(environmentId).organizationCreationAllowed()) {
            return show(transaction, Optional.empty(), false);
        }
        String displayName = name == null ? "" : name.strip();
        if (displayName.isEmpty() || displayName.length() > MAX_ORGANIZATION_NAME) {
            return show(transaction, Optional.of("Enter a name of 1 to " + MAX_ORGANIZATION_NAME + " characters."), false);
        }
        String userId = transaction.userId().get();
        Organization organization = transactions.inTransaction(() -> {
            Organization created = organizations.create(environmentId, new NewOrganization(displayName,
                    RegionCode.US, Optional.empty(), Map.of(), Optional.empty(), Optional.empty()));
            users.createMembership(environmentId, created.id(), new UserRef.ById(userId),
                    new NewMembership(List.of(UserService.ADMIN_ROLE), Map.of(), Optional.empty()), false);
            return created;
        });
        UserView user = users.findById(environmentId, userId).orElseThrow();
        return complete(transaction, true, user, Optional.of(organization.id()), amrOf(transaction), issuer, browser,
                activeSession(environmentId, browser));
    }

    // ---- the steps' common parts ----

    private LoginOutcome proven(LoginTransaction transaction, EmailChallenges.Result result, String issuer, Browser browser) {
        if (result instanceof EmailChallenges.Result.Refused refused) {
            LoginTransaction counted = transaction.withFailedAttempt(now());
            logins.update(counted, transaction.step());
            reject(transaction, browser, "login.code.rejected", refused.code(), refused.reason());
            if (refused.dead() || counted.failedAttempts() >= MAX_FAILED_ATTEMPTS) {
                return show(counted, Optional.of("This code can no longer be used. Send a new one."), false);
            }
            return show(counted, Optional.of("That code is not right. Check the email and try again."), false);
        }
        var verified = (EmailChallenges.Result.Verified) result;
        if (!verified.email().equalsIgnoreCase(transaction.email().orElse(""))) {
            reject(transaction, browser, "login.code.rejected", "email_mismatch", "verified address differs from the login's");
            return show(transaction, Optional.of("This code was sent to another address."), false);
        }
        String environmentId = transaction.environmentId();
        UserView user = users.findByEmail(environmentId, verified.email())
                .orElseGet(() -> users.findById(environmentId, users.signUp(environmentId, verified.email()).id()).orElseThrow());
        LoginTransaction withUser = transaction.withUser(user.user().id(), now());
        List<String> amr = List.of(verified.byLink() ? "email" : "otp");
        return afterProof(withUser, true, user, amr, issuer, browser, activeSession(environmentId, browser)
                .filter(s -> s.userId().equals(user.user().id())));
    }

    /**
     * The user is known: pick the organization (or ask), then finish. {@code stored}: whether the transaction has a
     * row yet (a warm-session login has none unless it must ask the user something).
     */
    private LoginOutcome afterProof(LoginTransaction transaction, boolean stored, UserView user, List<String> amr,
                                    String issuer, Browser browser, Optional<Session> session) {
        AuthorizeRequest request = transaction.request();
        List<Membership> eligible = eligible(user);
        if (request.organizationId().isPresent()) {
            String wanted = request.organizationId().get();
            if (eligible.stream().noneMatch(m -> m.organizationId().equals(wanted))) {
                reject(transaction, browser, "login.organization.rejected", "not_a_member", "not a member of requested " + wanted);
                if (stored) {
                    finish(transaction);
                }
                return new LoginOutcome.Redirect(ClientRedirect.error(request.redirectUri(), "access_denied",
                        "The user is not a member of the requested organization", request.state(), issuer), Optional.empty());
            }
            return complete(transaction, stored, user, Optional.of(wanted), amr, issuer, browser, session);
        }
        boolean chooser = request.prompts("select_account") || eligible.size() > 1;
        boolean mayCreate = eligible.isEmpty() && settings(transaction.environmentId()).organizationCreationAllowed();
        if (chooser || mayCreate) {
            LoginTransaction asking = transaction.withProof(amr, transaction.connectionId(), now())
                    .moveTo(LoginStep.AWAITING_ORGANIZATION, now());
            if (!stored) {
                logins.insert(asking);
            } else if (!logins.update(asking, transaction.step())) {
                return invalid(transaction.environmentId(), transaction.id(), browser, "login.rejected");
            }
            return show(asking, Optional.empty(), false);
        }
        return complete(transaction, stored, user, eligible.stream().findFirst().map(Membership::organizationId), amr, issuer,
                browser, session);
    }

    private LoginOutcome complete(LoginTransaction transaction, boolean stored, UserView user,
                                  Optional<String> organizationId, List<String> amr, String issuer, Browser browser,
                                  Optional<Session> existing) {
        String environmentId = transaction.environmentId();
        LoginSettings settings = settings(environmentId);
        // The organization's session policy (D-AP6): the stricter of its values and the environment's.
        SessionLifetimes lifetimes = sessionLifetimes.lifetimes(settings, organizationId);
        Instant now = now();
        Optional<Session> reused = existing.filter(s -> s.userId().equals(user.user().id()));
        if (reused.isPresent() && !reused.get().isActiveUnder(lifetimes, now)) {
            if (transaction.provenBySession()) {
                return signInAgain(transaction, browser, reused.get(), organizationId);
            }
            reused = Optional.empty(); // proven just now: a new session replaces the one the policy ended
        }
        LoginTransaction done = transaction.moveTo(LoginStep.DONE, now);
        if (stored && !logins.update(done, transaction.step())) {
            return invalid(environmentId, transaction.id(), browser, "login.rejected");
        }
        Optional<String> newCookie = Optional.empty();
        Session session;
        boolean touch = false;
        if (reused.isPresent()) {
            session = reused.get();
            touch = needsTouch(session, organizationId, lifetimes, now);
        } else {
            String cookie = secrets.next("");
            newCookie = Optional.of(cookie);
            Instant absolute = now.plus(lifetimes.absolute());
            session = new Session(ids.next(IdPrefix.SESSION), environmentId, user.user().id(), organizationId,
                    SecretHash.of(cookie).hex(), amr, Optional.of(browser.ipAddress()), browser.userAgent(), now, now,
                    min(now.plus(lifetimes.idle()), absolute), absolute, Optional.empty(), Optional.empty());
        }
        boolean signInRecorded = reused.isPresent() && signInRecordedRecently(user, organizationId, now);
        AuthorizeRequest request = transaction.request();
        TokenGrant grant = new TokenGrant(ids.next(IdPrefix.GRANT), environmentId, request.clientId(), session.id(),
                user.user().id(), organizationId, request.scopes(), request.nonce(), amr,
                session.createTime(), now, Optional.empty(), Optional.empty());
        String code = secrets.next("");
        Session signedIn = session;
        boolean newSession = reused.isEmpty();
        boolean touchSession = touch;
        // One transaction (one commit) for the session, the sign-in time and the grant with its code.
        transactions.inTransaction(() -> {
            if (newSession) {
                sessions.insert(signedIn);
            } else if (touchSession) {
                Instant absolute = signedIn.absoluteExpiryUnder(lifetimes);
                sessions.touch(environmentId, signedIn.id(), organizationId, now,
                        min(now.plus(lifetimes.idle()), absolute), absolute);
            }
            if (!signInRecorded) {
                users.recordSignIn(environmentId, user.user().id(), organizationId);
            }
            grants.insertGrant(grant);
            grants.insertCode(new AuthorizationCode(SecretHash.of(code).hex(), environmentId, grant.id(),
                    request.redirectUri(), request.codeChallenge(), now, now.plus(CODE_LIFETIME), Optional.empty()));
            return null;
        });
        Map<String, String> attributes = new HashMap<>();
        attributes.put("session_id", session.id());
        attributes.put("client_id", request.clientId());
        attributes.put("amr", String.join(" ", amr));
        audit.append(new AuditRecord(now, Optional.of(environmentId), organizationId, "login.succeeded",
                AuditRecord.Outcome.SUCCESS, Optional.of(user.user().id()), Optional.empty(),
                Optional.of(browser.ipAddress()), attributes));
        return new LoginOutcome.Redirect(ClientRedirect.code(request, code, issuer), newCookie);
    }

    /**
     * Whether a warm-session login must write the session: another organization, a stricter lifetime, or its activity
     * older than {@link Session#ACTIVITY_GRANULARITY} (like a refresh, D-AP6; the idle expiry may lag by as much).
     */
    private static boolean needsTouch(Session session, Optional<String> organizationId, SessionLifetimes lifetimes,
                                      Instant now) {
        Instant absolute = session.absoluteExpiryUnder(lifetimes);
        Instant idle = min(now.plus(lifetimes.idle()), absolute);
        return !session.organizationId().equals(organizationId)
                || !absolute.equals(session.absoluteExpireTime())
                || idle.isBefore(session.idleExpireTime())
                || !session.lastActiveTime().isAfter(now.minus(Session.ACTIVITY_GRANULARITY));
    }

    /**
     * Whether the user's last sign-in time is already this recent (within {@link Session#ACTIVITY_GRANULARITY}) and
     * there is no pending invitation to accept, so a warm-session login need not write the user again (D-TP4).
     */
    private static boolean signInRecordedRecently(UserView user, Optional<String> organizationId, Instant now) {
        boolean recent = user.user().lastLoginTime().filter(t -> t.isAfter(now.minus(Session.ACTIVITY_GRANULARITY)))
                .isPresent();
        boolean pendingInvite = organizationId.isPresent() && user.memberships().stream()
                .anyMatch(m -> m.organizationId().equals(organizationId.get())
                        && m.status(now) == MembershipStatus.PENDING_INVITE);
        return recent && !pendingInvite;
    }

    /**
     * This browser's session may not sign in to {@code organizationId}: its session policy ended it. The user proves
     * who they are again, in a new login for the same request (a {@code prompt=none} request gets login_required).
     */
    private LoginOutcome signInAgain(LoginTransaction transaction, Browser browser, Session ended,
                                     Optional<String> organizationId) {
        reject(transaction, browser, "login.session.rejected", "session_policy", "session " + ended.id()
                + " ended by the session policy of " + organizationId.orElse("the environment"));
        finish(transaction);
        LoginTransaction fresh = newTransaction(transaction.environmentId(), transaction.request(), browser, now(),
                LoginStep.AWAITING_EMAIL);
        logins.insert(fresh);
        return show(fresh, Optional.empty(), false);
    }

    private void finish(LoginTransaction transaction) {
        LoginTransaction cur = transaction;
        if (cur.step() == LoginStep.AWAITING_EMAIL) {
            return; // nothing proven yet; let it expire
        }
        if (cur.step().canMoveTo(LoginStep.DONE)) {
            logins.update(cur.moveTo(LoginStep.DONE, now()), cur.step());
        }
    }

    private Optional<LoginOutcome> throttleProof(LoginTransaction transaction, Browser browser) {
        return throttle(transaction, browser, "login-proof-ip:" + browser.ipAddress(), limits.proofsPerIp())
                .or(() -> throttle(transaction, browser,
                        "login-proof-account:" + transaction.email().orElse("").toLowerCase(java.util.Locale.ROOT),
                        limits.proofsPerAccount()));
    }

    /** One hit of {@code key}; over the limit, an audited 429 with the time to wait. */
    private Optional<LoginOutcome> throttle(LoginTransaction transaction, Browser browser, String key, RateLimit limit) {
        RateLimiter.Decision decision = rateLimiter.acquire(transaction.environmentId(), key, limit);
        if (decision.allowed()) {
            return Optional.empty();
        }
        reject(transaction, browser, "login.rate_limited", "rate_limited", "rate limit " + key.substring(0, key.indexOf(':'))
                + " (" + limit.permits() + " per " + limit.window().toSeconds() + " s)");
        return Optional.of(new LoginOutcome.Throttled(decision.retryAfter()));
    }

    private List<Membership> eligible(UserView user) {
        Instant now = now();
        return user.memberships().stream().filter(m -> {
            MembershipStatus status = m.status(now);
            return status == MembershipStatus.ACTIVE || status == MembershipStatus.PENDING_INVITE;
        }).toList();
    }

    private static List<String> amrOf(LoginTransaction transaction) {
        return transaction.amr().isEmpty() ? List.of("otp") : transaction.amr();
    }

    private LoginOutcome show(LoginTransaction transaction, Optional<String> error, boolean sent) {
        List<LoginOutcome.OrganizationChoice> choices = List.of();
        if (transaction.step() == LoginStep.AWAITING_ORGANIZATION && transaction.userId().isPresent()) {
            choices = users.findById(transaction.environmentId(), transaction.userId().get())
                    .map(u -> eligible(u).stream().map(m -> new LoginOutcome.OrganizationChoice(m.organizationId(),
                            m.organizationName().orElse(m.organizationId()))).toList())
                    .orElse(List.of());
        }
        return new LoginOutcome.ShowStep(transaction, settings(transaction.environmentId()),
                email.method(transaction.environmentId()), choices, error, sent);
    }

    private Optional<Session> activeSession(String environmentId, Browser browser) {
        Instant now = now();
        return browser.sessionCookie()
                .flatMap(cookie -> sessions.findByCookieHash(SecretHash.of(cookie).hex()))
                .filter(s -> s.environmentId().equals(environmentId) && s.isActive(now));
    }

    private LoginTransaction newTransaction(String environmentId, AuthorizeRequest request, Browser browser,
                                            Instant now, LoginStep step) {
        return new LoginTransaction(ids.next(IdPrefix.LOGIN), environmentId, request, step, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), SecretHash.of(browser.bindingSecret()).hex(),
                0, now, now,
                now.plus(LOGIN_LIFETIME));
    }

    private Optional<LoginTransaction> bound(String environmentId, String loginId, Browser browser) {
        if (loginId == null || !IdPrefix.LOGIN.matches(loginId) || loginId.length() > 40) {
            return Optional.empty();
        }
        Instant now = now();
        return logins.find(environmentId, loginId)
                .filter(t -> now.isBefore(t.expireTime()))
                .filter(t -> t.step() != LoginStep.DONE)
                .filter(t -> constantTimeEquals(t.browserHash(), SecretHash.of(browser.bindingSecret()).hex()));
    }

    private Optional<LoginTransaction> boundWithCsrf(String environmentId, String loginId, Browser browser, String csrf) {
        return bound(environmentId, loginId, browser)
                .filter(t -> csrf != null && constantTimeEquals(csrfToken(t.id(), browser.bindingSecret()), csrf));
    }

    private LoginOutcome invalid(String environmentId, String loginId, Browser browser, String type) {
        audit.append(new AuditRecord(now(), Optional.of(environmentId), Optional.empty(), type,
                AuditRecord.Outcome.FAILURE, Optional.empty(),
                Optional.of("unknown, expired or finished login, another browser, or a bad CSRF token"),
                Optional.of(browser.ipAddress()), Map.of("login_id", loginId == null ? "" : truncate(loginId)))
                .withReasonCode("invalid_login"));
        return new LoginOutcome.Invalid("This sign-in attempt has expired or is not valid in this browser. "
                + "Go back to the application and start again.");
    }

    /** An audited refusal of a login step: {@code reasonCode} is the machine-readable cause, {@code reason} the details. */
    private void reject(LoginTransaction transaction, Browser browser, String type, String reasonCode, String reason) {
        reject(transaction, browser, type, reasonCode, reason, Map.of());
    }

    private void reject(LoginTransaction transaction, Browser browser, String type, String reasonCode, String reason,
                        Map<String, String> details) {
        Map<String, String> attributes = new HashMap<>(details);
        attributes.put("login_id", transaction.id());
        attributes.put("client_id", transaction.request().clientId());
        transaction.email().ifPresent(address -> attributes.put("email", address));
        audit.append(new AuditRecord(now(), Optional.of(transaction.environmentId()), Optional.empty(), type,
                AuditRecord.Outcome.FAILURE, transaction.userId(), Optional.of(reason),
                Optional.of(browser.ipAddress()), attributes).withReasonCode(reasonCode));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static String truncate(String value) {
        return value.length() > 64 ? value.substring(0, 64) : value;
    }

    static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
