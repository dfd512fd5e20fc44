package dev.gatehouse.core.sessionpolicy;

import dev.gatehouse.core.login.LoginSettings;
import dev.gatehouse.core.login.LoginSettingsEditor;
import dev.gatehouse.core.login.Session;
import dev.gatehouse.core.login.SessionLifetimePolicy;
import dev.gatehouse.core.login.SessionLifetimes;
import dev.gatehouse.core.login.SessionRepository;
import dev.gatehouse.core.organization.OrganizationRepository;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.FieldViolation;
import dev.gatehouse.core.shared.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Organizations' session policies (docs/DECISIONS.md D-AP6): read and change them, show the environment's values,
 * and give the hosted login the lifetimes of a session signed in to an organization. A CUSTOM policy applies the
 * stricter of its timeouts and the environment's; a change shortens the organization's active sessions at once
 * (it never lengthens one: looser values apply to sessions signed in afterwards).
 */
public final class SessionPolicyService implements SessionLifetimePolicy {
    private final SessionPolicyRepository policies;
    private final OrganizationRepository organizations;
    private final LoginSettingsEditor loginSettings;
    private final SessionRepository sessions;
    private final Transactions transactions;
    private final Clock clock;

    public SessionPolicyService(SessionPolicyRepository policies, OrganizationRepository organizations,
                                LoginSettingsEditor loginSettings, SessionRepository sessions, Transactions transactions,
                                Clock clock) {
        this.policies = policies;
        this.organizations = organizations;
        this.loginSettings = loginSettings;
        this.sessions = sessions;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** The organization's policy; APPLICATION when it never had one. */
    public OrganizationSessionPolicy get(String environmentId, String organizationId) {
        requireOrganization(environmentId, organizationId);
        return policies.find(environmentId, organizationId)
                .orElseGet(() -> OrganizationSessionPolicy.application(environmentId, organizationId));
    }

    /** Replaces the organization's policy and shortens its active sessions to fit it. */
    public OrganizationSessionPolicy update(String environmentId, String organizationId, SessionPolicyChange change) {
        requireOrganization(environmentId, organizationId);
        Instant now = now();
        OrganizationSessionPolicy policy = validated(environmentId, organizationId, change, now);
        SessionLifetimes lifetimes = policy.lifetimes(SessionLifetimes.of(loginSettings.get(environmentId)));
        transactions.inTransaction(() -> {
            policies.save(policy);
            for (Session session : sessions.listActiveInOrganization(environmentId, organizationId, now)) {
                Instant absolute = session.absoluteExpiryUnder(lifetimes);
                Instant idle = earliest(session.idleExpireTime(), session.lastActiveTime().plus(lifetimes.idle()), absolute);
                if (absolute.isBefore(session.absoluteExpireTime()) || idle.isBefore(session.idleExpireTime())) {
                    sessions.limit(environmentId, session.id(), idle, absolute);
                }
            }
            return null;
        });
        return policy;
    }

    /** The environment's session settings, as the organization's APPLICATION policy follows them. */
    public ApplicationSessionPolicy application(String environmentId, String organizationId) {
        requireOrganization(environmentId, organizationId);
        LoginSettings settings = loginSettings.get(environmentId);
        return new ApplicationSessionPolicy(SessionTimeUnit.largestExact(settings.sessionAbsoluteTimeout()), true,
                SessionTimeUnit.largestExact(settings.sessionIdleTimeout()), settings.accessTokenLifetime());
    }

    @Override
    public SessionLifetimes lifetimes(LoginSettings settings, Optional<String> organizationId) {
        SessionLifetimes application = SessionLifetimes.of(settings);
        return organizationId.flatMap(id -> policies.find(settings.environmentId(), id))
                .map(policy -> policy.lifetimes(application))
                .orElse(application);
    }

    private static OrganizationSessionPolicy validated(String environmentId, String organizationId,
                                                       SessionPolicyChange change, Instant now) {
        if (change.source().isEmpty()) {
            throw DomainException.InvalidArgument.of("policy_source", "policy_source must be APPLICATION or CUSTOM",
                    "enum.not_in");
        }
        if (change.source().get() == SessionPolicySource.APPLICATION) {
            return new OrganizationSessionPolicy(environmentId, organizationId, SessionPolicySource.APPLICATION,
                    Optional.empty(), false, Optional.empty(), Optional.of(now));
        }
        List<FieldViolation> violations = new ArrayList<>();
        Optional<SessionTimeout> absolute = timeout("absolute_session_timeout", change.absoluteTimeout(),
                change.absoluteUnit(), violations);
        boolean idleEnabled = change.idleEnabled().orElse(false);
        Optional<SessionTimeout> idle = idleEnabled
                ? timeout("idle_session_timeout", change.idleTimeout(), change.idleUnit(), violations) : Optional.empty();
        if (absolute.isPresent() && idle.isPresent() && idle.get().duration().compareTo(absolute.get().duration()) > 0) {
            violations.add(new FieldViolation("idle_session_timeout",
                    "idle_session_timeout must not be longer than absolute_session_timeout", "duration.lte"));
        }
        if (!violations.isEmpty()) {
            throw new DomainException.InvalidArgument(violations.getFirst().description(), violations);
        }
        return new OrganizationSessionPolicy(environmentId, organizationId, SessionPolicySource.CUSTOM, absolute,
                idleEnabled, idle, Optional.of(now));
    }

    /** A CUSTOM policy's timeout: required, with its unit, from 5 minutes to 365 days (as the login settings'). */
    private static Optional<SessionTimeout> timeout(String field, Optional<Integer> value, Optional<SessionTimeUnit> unit,
                                                    List<FieldViolation> violations) {
        if (value.isEmpty()) {
            violations.add(new FieldViolation(field, field + " is required for a CUSTOM policy", "required"));
            return Optional.empty();
        }
        if (unit.isEmpty()) {
            violations.add(new FieldViolation(field + "_unit", field + "_unit must be MINUTES, HOURS or DAYS",
                    "enum.not_in"));
            return Optional.empty();
        }
        if (value.get() <= 0) {
            violations.add(new FieldViolation(field, field + " must be positive", "int32.gt"));
            return Optional.empty();
        }
        Duration duration = unit.get().times(value.get());
        if (duration.compareTo(LoginSettingsEditor.MIN_SESSION) < 0
                || duration.compareTo(LoginSettingsEditor.MAX_LONG_LIVED) > 0) {
            violations.add(new FieldViolation(field, field + " must be between 5 minutes and 365 days", "duration.range"));
            return Optional.empty();
        }
        return Optional.of(new SessionTimeout(value.get(), unit.get()));
    }

    private void requireOrganization(String environmentId, String organizationId) {
        if (organizations.findById(environmentId, organizationId).isEmpty()) {
            throw new DomainException.NotFound("organization " + organizationId + " not found");
        }
    }

    private static Instant earliest(Instant a, Instant b, Instant c) {
        Instant ab = a.isBefore(b) ? a : b;
        return ab.isBefore(c) ? ab : c;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
