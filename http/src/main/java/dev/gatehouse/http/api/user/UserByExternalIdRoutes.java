package dev.gatehouse.http.api.user;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.google.protobuf.Empty;
import dev.gatehouse.core.login.UserIdentityRepository;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.user.NewMembership;
import dev.gatehouse.core.user.UserRef;
import dev.gatehouse.core.user.UserService;
import dev.gatehouse.http.api.Caller;
import dev.gatehouse.http.api.ManagementAuthenticator;
import dev.gatehouse.http.api.audit.ManagementChangeAudit;
import dev.gatehouse.http.api.RpcErrors;
import dev.gatehouse.http.api.RpcStatusJson;
import dev.gatehouse.proto.users.CreateMembership;
import dev.gatehouse.proto.users.CreateMembershipRequest;
import dev.gatehouse.proto.users.CreateMembershipResponse;
import dev.gatehouse.proto.users.DeleteMembershipRequest;
import dev.gatehouse.proto.users.DeleteUserRequest;
import dev.gatehouse.proto.users.GetUserResponse;
import dev.gatehouse.proto.users.UpdateMembership;
import dev.gatehouse.proto.users.UpdateMembershipRequest;
import dev.gatehouse.proto.users.UpdateMembershipResponse;
import dev.gatehouse.proto.users.UpdateUser;
import dev.gatehouse.proto.users.UpdateUserRequest;
import dev.gatehouse.proto.users.UpdateUserResponse;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST bindings by external ID that the transcoder cannot express (a variable after a
 * {@code :verb}; see users.proto and docs/DECISIONS.md D-U5):
 * {@code GET|PATCH|DELETE /api/v1/users:external/{external_id}} and
 * {@code POST|PATCH|DELETE /api/v1/memberships/organizations/{organization_id}/users:external/{external_id}}.
 * Same authentication, JSON and error shape as the transcoded routes; changes are audited like
 * the gRPC ones ({@link ManagementChangeAudit}).
 */
public final class UserByExternalIdRoutes {
    private static final Pattern USER = Pattern.compile("^/api/v1/users:external/([^/]+)$");
    private static final Pattern MEMBERSHIP =
            Pattern.compile("^/api/v1/memberships/organizations/([^/]+)/users:external/([^/]+)$");
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .preservingProtoFieldNames().includingDefaultValueFields().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private final UserService users;
    private final UserIdentityRepository identities;
    private final ManagementAuthenticator authenticator;
    private final Clock clock;
    private final ManagementChangeAudit changes;

    public UserByExternalIdRoutes(UserService users, UserIdentityRepository identities,
                                  ManagementAuthenticator authenticator, Clock clock, ManagementChangeAudit changes) {
        this.users = users;
        this.identities = identities;
        this.authenticator = authenticator;
        this.clock = clock;
        this.changes = changes;
    }

    public void bind(ServerBuilder server) {
        server.service("regex:" + USER.pattern(), (ctx, req) -> HttpResponse.of(req.aggregate().thenApplyAsync(
                agg -> serve(ctx, agg, USER.matcher(ctx.path())), ctx.blockingTaskExecutor())));
        server.service("regex:" + MEMBERSHIP.pattern(), (ctx, req) -> HttpResponse.of(req.aggregate().thenApplyAsync(
                agg -> serve(ctx, agg, MEMBERSHIP.matcher(ctx.path())), ctx.blockingTaskExecutor())));
    }

    private HttpResponse serve(ServiceRequestContext ctx, AggregatedHttpRequest req, Matcher path) {
        if (!path.matches()) {
            return RpcStatusJson.response(RpcErrors.status(Code.NOT_FOUND, "no such path"));
        }
        boolean membership = path.groupCount() == 2;
        String rpc = "scalekit.v1.users.UserService/" + rpcName(req.method(), membership);
        Optional<String> remote = ctx.remoteAddress() instanceof InetSocketAddress a
                ? Optional.of(a.getAddress().getHostAddress()) : Optional.empty();
        var decision = authenticator.authenticate(req.headers().get(HttpHeaderNames.AUTHORIZATION), rpc, remote);
        if (decision instanceof ManagementAuthenticator.Decision.Refused refused) {
            return RpcStatusJson.response(RpcErrors.status(Code.UNAUTHENTICATED, refused.message()));
        }
        Caller caller = ((ManagementAuthenticator.Decision.Admitted) decision).caller();
        Change change = new Change();
        HttpResponse response;
        io.grpc.Status status = io.grpc.Status.OK;
        try {
            response = serve(ctx, req, path, membership, rpc, caller, change);
        } catch (DomainException e) {
            com.google.rpc.Status failure = RpcErrors.fromDomain(e);
            status = io.grpc.Status.fromCodeValue(failure.getCode()).withDescription(failure.getMessage());
            response = RpcStatusJson.response(failure);
        } catch (StatusRuntimeException e) {
            com.google.rpc.Status failure = StatusProto.fromThrowable(e);
            status = e.getStatus();
            response = RpcStatusJson.response(failure != null ? failure : RpcErrors.status(Code.INTERNAL, "internal error"));
        }
        if (req.method() != HttpMethod.GET && (change.request != null || !status.isOk())) {
            changes.record(caller, rpc, Optional.ofNullable(change.request), change.before,
                    Optional.ofNullable(change.answer), status, remote);
        }
        return response;
    }

    /** What the audit of a change needs: the equivalent gRPC request, the state before and the answer (D-A3). */
    private static final class Change {
        Message request;
        Optional<Message> before = Optional.empty();
        Message answer;

        <T extends Message> T answer(T message) {
            answer = message;
            return message;
        }
    }

    private HttpResponse serve(ServiceRequestContext ctx, AggregatedHttpRequest req, Matcher path, boolean membership,
                               String rpc, Caller caller, Change change) {
        String env = caller.environmentId();
        String externalId = decode(path.group(membership ? 2 : 1));
        UserRef ref = UserMessages.ref("", externalId, true);
        QueryParams query = QueryParams.fromQueryString(ctx.query());
        if (!membership) {
            return switch (req.method()) {
                case GET -> ok(GetUserResponse.newBuilder().setUser(toProto(env, users.get(env, ref))).build());
                case PATCH -> {
                    UpdateUser.Builder body = UpdateUser.newBuilder();
                    parse(req, body);
                    change.request = UpdateUserRequest.newBuilder().setExternalId(externalId).setUser(body).build();
                    change.before = changes.before(caller, rpc, change.request);
                    yield ok(change.answer(UpdateUserResponse.newBuilder()
                            .setUser(toProto(env, users.update(env, ref, UserMessages.toPatch(body.build())))).build()));
                }
                case DELETE -> {
                    change.request = DeleteUserRequest.newBuilder().setExternalId(externalId).build();
                    change.before = changes.before(caller, rpc, change.request);
                    users.delete(env, ref);
                    yield ok(Empty.getDefaultInstance());
                }
                default -> methodNotAllowed();
            };
        }
        String organizationId = UserMessages.organizationId(decode(path.group(1)));
        return switch (req.method()) {
            case POST -> {
                CreateMembership.Builder body = CreateMembership.newBuilder();
                parse(req, body);
                String send = query.get("send_invitation_email", query.get("sendInvitationEmail", "true"));
                change.request = CreateMembershipRequest.newBuilder().setOrganizationId(organizationId)
                        .setExternalId(externalId).setMembership(body).setSendInvitationEmail(!"false".equalsIgnoreCase(send))
                        .build();
                var user = users.createMembership(env, organizationId, ref,
                        req.content().isEmpty() ? NewMembership.defaults() : UserMessages.toNew(body.build()),
                        !"false".equalsIgnoreCase(send));
                yield respond(HttpStatus.CREATED,
                        change.answer(CreateMembershipResponse.newBuilder().setUser(toProto(env, user)).build()));
            }
            case PATCH -> {
                UpdateMembership.Builder body = UpdateMembership.newBuilder();
                parse(req, body);
                change.request = UpdateMembershipRequest.newBuilder().setOrganizationId(organizationId)
                        .setExternalId(externalId).setMembership(body).build();
                var user = users.updateMembership(env, organizationId, ref, UserMessages.toPatch(body.build()));
                yield ok(change.answer(UpdateMembershipResponse.newBuilder().setUser(toProto(env, user)).build()));
            }
            case DELETE -> {
                boolean cascade = "true".equalsIgnoreCase(query.get("cascade", "false"));
                change.request = DeleteMembershipRequest.newBuilder().setOrganizationId(organizationId)
                        .setExternalId(externalId).setCascade(cascade).build();
                users.deleteMembership(env, organizationId, ref, cascade);
                yield ok(Empty.getDefaultInstance());
            }
            default -> methodNotAllowed();
        };
    }

    private dev.gatehouse.proto.users.User toProto(String env, dev.gatehouse.core.user.UserView view) {
        return UserMessages.toProto(view, users.roles(env), identities.listForUser(env, view.user().id()),
                clock.instant());
    }

    private static String rpcName(HttpMethod method, boolean membership) {
        return switch (method) {
            case GET -> "GetUser";
            case POST -> "CreateMembership";
            case PATCH -> membership ? "UpdateMembership" : "UpdateUser";
            case DELETE -> membership ? "DeleteMembership" : "DeleteUser";
            default -> "Unknown";
        };
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw RpcErrors.invalidArgument("external_id", "the path is not URL-encoded correctly", "string.pattern");
        }
    }

    private static void parse(AggregatedHttpRequest req, Message.Builder builder) {
        String body = req.contentUtf8();
        if (body.isBlank()) {
            return;
        }
        try {
            PARSER.merge(body, builder);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw RpcErrors.invalidArgument("body", "the request body is not valid JSON for this call", "json");
        }
    }

    /** 405 with rpcStatus code 12, like every other /api/v1 route, not a 501. */
    private static HttpResponse methodNotAllowed() {
        return dev.gatehouse.http.SurfaceStatus.of(com.linecorp.armeria.common.HttpStatus.METHOD_NOT_ALLOWED);
    }

    private static HttpResponse ok(Message message) {
        return respond(HttpStatus.OK, message);
    }

    private static HttpResponse respond(HttpStatus status, Message message) {
        try {
            return HttpResponse.of(ResponseHeaders.of(status, HttpHeaderNames.CONTENT_TYPE, MediaType.JSON_UTF_8),
                    HttpData.ofUtf8(PRINTER.print(message)));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
