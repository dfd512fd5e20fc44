package dev.gatehouse.http.api.session;

import dev.gatehouse.core.login.Session;
import dev.gatehouse.core.login.SessionClient;
import dev.gatehouse.core.login.SessionFilter;
import dev.gatehouse.core.login.SessionStatus;
import dev.gatehouse.core.login.UserSessions;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import dev.gatehouse.http.api.Caller;
import dev.gatehouse.http.api.PageTokens;
import dev.gatehouse.http.api.ProtoTimestamps;
import dev.gatehouse.http.api.Rpc;
import dev.gatehouse.http.api.RpcErrors;
import dev.gatehouse.proto.sessions.*;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code scalekit.v1.sessions.SessionService}: a user's hosted-login sessions, served as gRPC and REST. */
public final class SessionGrpcService extends SessionServiceGrpc.SessionServiceImplBase {
    static final int DEFAULT_PAGE_SIZE = 10;
    static final int MAX_PAGE_SIZE = 100;
    static final int MAX_STATUS_FILTERS = 4;

    private final UserSessions sessions;
    private final Clock clock;

    public SessionGrpcService(UserSessions sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    @Override
    public void getSession(SessionDetailsRequest request, StreamObserver<SessionDetails> observer) {
        Rpc.respond(observer, () -> {
            String environmentId = Caller.current().environmentId();
            Session session = sessions.get(environmentId, request.getSessionId());
            return details(session, sessions.authenticatedClients(environmentId, List.of(session)));
        });
    }

    @Override
    public void getUserSessions(UserSessionDetailsRequest request, StreamObserver<UserSessionDetails> observer) {
        Rpc.respond(observer, () -> {
            long requested = Integer.toUnsignedLong(request.getPageSize());
            int size = requested == 0 ? DEFAULT_PAGE_SIZE : (int) Math.min(requested, MAX_PAGE_SIZE);
            Page<Session> page = sessions.listForUser(Caller.current().environmentId(), request.getUserId(),
                    filter(request), new PageRequest(size, PageTokens.decode(request.getPageToken())));
            Map<String, List<SessionClient>> clients = sessions.authenticatedClients(Caller.current().environmentId(),
                    page.items());
            return UserSessionDetails.newBuilder()
                    .addAllSessions(page.items().stream().map(session -> details(session, clients)).toList())
                    .setNextPageToken(PageTokens.encode(page.next()))
                    .setPrevPageToken(PageTokens.encode(page.previous()))
                    .setTotalSize(PageTokens.totalSize(page))
                    .build();
        });
    }

    @Override
    public void revokeSession(RevokeSessionRequest request, StreamObserver<RevokeSessionResponse> observer) {
        Rpc.respond(observer, () -> {
            Caller caller = Caller.current();
            Session revoked = sessions.revoke(caller.environmentId(), request.getSessionId(), Optional.of(caller.clientId()));
            return RevokeSessionResponse.newBuilder().setRevokedSession(revokedDetails(revoked)).build();
        });
    }

    @Override
    public void revokeAllUserSessions(RevokeAllUserSessionsRequest request,
                                      StreamObserver<RevokeAllUserSessionsResponse> observer) {
        Rpc.respond(observer, () -> {
            Caller caller = Caller.current();
            List<Session> revoked = sessions.revokeAll(caller.environmentId(), request.getUserId(),
                    Optional.of(caller.clientId()), UserSessions.REVOKED_BY_API);
            return RevokeAllUserSessionsResponse.newBuilder()
                    .addAllRevokedSessions(revoked.stream().map(this::revokedDetails).toList())
                    .setTotalRevoked(revoked.size())
                    .build();
        });
    }

    private static SessionFilter filter(UserSessionDetailsRequest request) {
        if (!request.hasFilter()) {
            return SessionFilter.all();
        }
        UserSessionFilter filter = request.getFilter();
        if (filter.getStatusCount() > MAX_STATUS_FILTERS) {
            throw RpcErrors.invalidArgument("filter.status", "at most 4 statuses", "repeated.max_items");
        }
        Set<SessionStatus> statuses = EnumSet.noneOf(SessionStatus.class);
        for (String value : filter.getStatusList()) {
            statuses.add(SessionStatus.parse(value).orElseThrow(() -> RpcErrors.invalidArgument("filter.status",
                    "status must be one of active, expired, revoked, logout", "string.in")));
        }
        Optional<Instant> from = filter.hasStartTime() ? Optional.of(ProtoTimestamps.toInstant(filter.getStartTime()))
                : Optional.empty();
        Optional<Instant> before = filter.hasEndTime() ? Optional.of(ProtoTimestamps.toInstant(filter.getEndTime()))
                : Optional.empty();
        if (from.isPresent() && before.isPresent() && !from.get().isBefore(before.get())) {
            throw RpcErrors.invalidArgument("filter.end_time", "end_time must be after start_time", "timestamp.gt");
        }
        return new SessionFilter(statuses, from, before);
    }

    /**
     * {@code authenticated_clients}: each client that obtained tokens in the session, with the organization of its
     * grant; {@code authenticated_organizations}: the session's organization and those of its grants.
     */
    private SessionDetails details(Session session, Map<String, List<SessionClient>> clients) {
        Instant now = clock.instant();
        SessionStatus status = SessionStatus.of(session, now);
        SessionDetails.Builder builder = SessionDetails.newBuilder()
                .setSessionId(session.id())
                .setUserId(session.userId())
                .setCreatedAt(ProtoTimestamps.of(session.createTime()))
                .setUpdatedAt(ProtoTimestamps.of(session.lastActiveTime()))
                .setLastActiveAt(ProtoTimestamps.of(session.lastActiveTime()))
                .setIdleExpiresAt(ProtoTimestamps.of(session.idleExpireTime()))
                .setAbsoluteExpiresAt(ProtoTimestamps.of(session.absoluteExpireTime()))
                .setStatus(status.wire())
                .setDevice(DeviceDetails.newBuilder()
                        .setUserAgent(session.userAgent().orElse(""))
                        .setIp(session.ipAddress().orElse("")));
        Set<String> organizations = new LinkedHashSet<>();
        session.organizationId().ifPresent(org -> {
            builder.setOrganizationId(org);
            organizations.add(org);
        });
        for (SessionClient client : clients.getOrDefault(session.id(), List.of())) {
            builder.addAuthenticatedClients(AuthenticatedClients.newBuilder().setClientId(client.clientId())
                    .setOrganizationId(client.organizationId().orElse("")));
            client.organizationId().ifPresent(organizations::add);
        }
        builder.addAllAuthenticatedOrganizations(organizations);
        endTimes(session, status, now, builder::setExpiredAt, builder::setLogoutAt);
        return builder.build();
    }

    private RevokedSessionDetails revokedDetails(Session session) {
        Instant now = clock.instant();
        SessionStatus status = SessionStatus.of(session, now);
        RevokedSessionDetails.Builder builder = RevokedSessionDetails.newBuilder()
                .setSessionId(session.id())
                .setUserId(session.userId())
                .setCreatedAt(ProtoTimestamps.of(session.createTime()))
                .setUpdatedAt(ProtoTimestamps.of(session.lastActiveTime()))
                .setLastActiveAt(ProtoTimestamps.of(session.lastActiveTime()))
                .setIdleExpiresAt(ProtoTimestamps.of(session.idleExpireTime()))
                .setAbsoluteExpiresAt(ProtoTimestamps.of(session.absoluteExpireTime()))
                .setStatus(status.wire());
        endTimes(session, status, now, builder::setExpiredAt, builder::setLogoutAt);
        return builder.build();
    }

    /** {@code expired_at}: when an expired or revoked session stopped; {@code logout_at}: when the user signed out. */
    private static void endTimes(Session session, SessionStatus status, Instant now,
                                 java.util.function.Consumer<com.google.protobuf.Timestamp> expiredAt,
                                 java.util.function.Consumer<com.google.protobuf.Timestamp> logoutAt) {
        switch (status) {
            case EXPIRED -> expiredAt.accept(ProtoTimestamps.of(
                    session.idleExpireTime().isBefore(session.absoluteExpireTime())
                            ? session.idleExpireTime() : session.absoluteExpireTime()));
            case REVOKED -> expiredAt.accept(ProtoTimestamps.of(session.revokeTime().orElse(now)));
            case LOGOUT -> {
                logoutAt.accept(ProtoTimestamps.of(session.revokeTime().orElse(now)));
                expiredAt.accept(ProtoTimestamps.of(session.revokeTime().orElse(now)));
            }
            case ACTIVE -> { }
        }
    }
}
