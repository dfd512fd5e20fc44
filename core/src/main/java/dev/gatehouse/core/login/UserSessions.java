package dev.gatehouse.core.login;

import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import dev.gatehouse.core.shared.Transactions;
import dev.gatehouse.core.user.UserService;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Sessions API's use cases: read a session, list a user's sessions, revoke one or all. Revoking a session also
 * revokes every grant issued in it, so its refresh tokens stop working and its access tokens introspect inactive.
 */
public final class UserSessions implements dev.gatehouse.core.user.UserSessionRevoker {
    public static final String REVOKED_BY_API = "revoked";
    public static final String REVOKED_BY_DIRECTORY = "deprovisioned";

    private final SessionRepository sessions;
    private final GrantRepository grants;
    private final UserService users;
    private final AuditTrail audit;
    private final Transactions transactions;
    private final Clock clock;

    public UserSessions(SessionRepository sessions, GrantRepository grants, UserService users, AuditTrail audit,
                        Transactions transactions, Clock clock) {
        this.sessions = sessions;
        this.grants = grants;
        this.users = users;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    public Session get(String environmentId, String sessionId) {
        checkId(sessionId, IdPrefix.SESSION, "session_id");
        return sessions.find(environmentId, sessionId)
                .orElseThrow(() -> new DomainException.NotFound("session " + sessionId + " not found"));
    }

    /** The clients that obtained tokens in each of these sessions (keyed by session ID; absent when none did). */
    public Map<String, List<SessionClient>> authenticatedClients(String environmentId, List<Session> of) {
        return grants.clientsOfSessions(environmentId, of.stream().map(Session::id).toList()).stream()
                .collect(java.util.stream.Collectors.groupingBy(SessionClient::sessionId,
                        java.util.LinkedHashMap::new, java.util.stream.Collectors.toList()));
    }

    public Page<Session> listForUser(String environmentId, String userId, SessionFilter filter, PageRequest page) {
        checkId(userId, IdPrefix.USER, "user_id");
        requireUser(environmentId, userId);
        return sessions.listForUser(environmentId, userId, filter, now(), page);
    }

    public Session revoke(String environmentId, String sessionId, Optional<String> actor) {
        Session session = get(environmentId, sessionId);
        Instant now = now();
        transactions.inTransaction(() -> {
            if (sessions.revoke(environmentId, sessionId, now, REVOKED_BY_API)) {
                grants.revokeGrantsOfSession(environmentId, sessionId, now, "session revoked");
            }
            return null;
        });
        audit.append(new AuditRecord(now, Optional.of(environmentId), session.organizationId(), "session.revoked",
                AuditRecord.Outcome.SUCCESS, actor, Optional.empty(), Optional.empty(),
                Map.of("session_id", sessionId, "user_id", session.userId())));
        return get(environmentId, sessionId);
    }

    /** Revokes every active session of the user; returns the sessions this call revoked. */
    public List<Session> revokeAll(String environmentId, String userId, Optional<String> actor, String reason) {
        checkId(userId, IdPrefix.USER, "user_id");
        requireUser(environmentId, userId);
        return revokeActive(environmentId, userId, actor, reason);
    }

    /** Directory sync deactivated or deprovisioned the user (in its transaction): every session ends. */
    @Override
    public void revokeAll(String environmentId, String userId) {
        revokeActive(environmentId, userId, Optional.empty(), REVOKED_BY_DIRECTORY);
    }

    private List<Session> revokeActive(String environmentId, String userId, Optional<String> actor, String reason) {
        Instant now = now();
        List<Session> revoked = new ArrayList<>();
        transactions.inTransaction(() -> {
            PageRequest page = PageRequest.first(100);
            while (true) {
                Page<Session> active = sessions.listForUser(environmentId, userId,
                        new SessionFilter(java.util.Set.of(SessionStatus.ACTIVE), Optional.empty(), Optional.empty()),
                        now, page);
                for (Session session : active.items()) {
                    if (sessions.revoke(environmentId, session.id(), now, reason)) {
                        grants.revokeGrantsOfSession(environmentId, session.id(), now, "session revoked");
                        revoked.add(session);
                    }
                }
                if (active.next().isEmpty()) {
                    return null;
                }
                page = new PageRequest(100, active.next());
            }
        });
        audit.append(new AuditRecord(now, Optional.of(environmentId), Optional.empty(), "session.revoked_all",
                AuditRecord.Outcome.SUCCESS, actor, Optional.of(reason), Optional.empty(),
                Map.of("user_id", userId, "count", Integer.toString(revoked.size()))));
        return revoked.stream().map(s -> sessions.find(environmentId, s.id()).orElse(s)).toList();
    }

    private void requireUser(String environmentId, String userId) {
        if (users.findById(environmentId, userId).isEmpty()) {
            throw new DomainException.NotFound("user " + userId + " not found");
        }
    }

    private static void checkId(String id, IdPrefix prefix, String field) {
        if (id == null || !id.matches(java.util.regex.Pattern.quote(prefix.wire()) + "[0-9]+")) {
            throw DomainException.InvalidArgument.of(field, field + " must look like " + prefix.wire() + "<digits>",
                    "string.pattern");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
