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
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.user.NewMembership;
import dev.gatehouse.core.user.UserRef;
import dev.gatehouse.core.user.UserService;
import dev.gatehouse.http.api.ManagementAuthenticator;
import dev.gatehouse.http.api.RpcErrors;
import dev.gatehouse.http.api.RpcStatusJson;
import dev.gatehouse.proto.users.CreateMembership;
import dev.gatehouse.proto.users.CreateMembershipResponse;
import dev.gatehouse.proto.users.GetUserResponse;
import dev.gatehouse.proto.users.UpdateMembership;
import dev.gatehouse.proto.users.UpdateMembershipResponse;
import dev.gatehouse.proto.users.UpdateUser;
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
 * Same authentication, JSON and error shape as the transcoded routes.
 */
public final class UserByExternalIdRoutes {
    private static final Pattern USER = Pattern.compile("^/api/v1/users:external/([^/]+)$");
    private static final Pattern MEMBERSHIP =
            Pattern.compile("^/api/v1/memberships/organizations/([^/]+)/users:external/([^/]+)$");
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .preservingProtoFieldNames().includingDefaultValueFields().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private final UserService users;
    private final ManagementAuthenticator authenticator;
    private final Clock clock;

    public UserByExternalIdRoutes(UserService users, ManagementAuthenticator authenticator, Clock clock) {
        this.users = users;
        this.authenticator = authenticator;
        this.clock = clock;
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
        String env = ((ManagementAuthenticator.Decision.Admitted) decision).caller().environmentId();
        try {
            String externalId = decode(path.group(membership ? 2 : 1));
            UserRef ref = UserMessages.ref("", externalId, true);
            QueryParams query = QueryParams.fromQueryString(ctx.query());
            if (!membership) {
                return switch (req.method()) {
                    case GET -> ok(GetUserResponse.newBuilder().setUser(toProto(env, users.get(env, ref))).build());
                    case PATCH -> {
                        UpdateUser.Builder body = UpdateUser.newBuilder();
                        parse(req, body);
                        yield ok(UpdateUserResponse.newBuilder()
                                .setUser(toProto(env, users.update(env, ref, UserMessages.toPatch(body.build())))).build());
                    }
                    case DELETE -> {
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
                    var user = users.createMembership(env, organizationId, ref,
                            req.content().isEmpty() ? NewMembership.defaults() : UserMessages.toNew(body.build()),
                            !"false".equalsIgnoreCase(send));
                    yield respond(HttpStatus.CREATED, CreateMembershipResponse.newBuilder().setUser(toProto(env, user)).build());
                }
                case PATCH -> {
                    UpdateMembership.Builder body = UpdateMembership.newBuilder();
                    parse(req, body);
                    var user = users.updateMembership(env, organizationId, ref, UserMessages.toPatch(body.build()));
                    yield ok(UpdateMembershipResponse.newBuilder().setUser(toProto(env, user)).build());
                }
                case DELETE -> {
                    users.deleteMembership(env, organizationId, ref, "true".equalsIgnoreCase(query.get("cascade", "false")));
                    yield ok(Empty.getDefaultInstance());
                }
                default -> methodNotAllowed();
            };
        } catch (DomainException e) {
            return RpcStatusJson.response(RpcErrors.fromDomain(e));
        } catch (StatusRuntimeException e) {
            com.google.rpc.Status status = StatusProto.fromThrowable(e);
            return RpcStatusJson.response(status != null ? status : RpcErrors.status(Code.INTERNAL, "internal error"));
        }
    }

    private dev.gatehouse.proto.users.User toProto(String env, dev.gatehouse.core.user.UserView view) {
        return UserMessages.toProto(view, users.roles(env), clock.instant());
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

    private static HttpResponse methodNotAllowed() {
        return RpcStatusJson.response(RpcErrors.status(Code.UNIMPLEMENTED, "method not allowed"));
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
