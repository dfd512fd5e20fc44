package dev.gatehouse.http.api.organization;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import com.google.rpc.Code;
import dev.gatehouse.core.organization.OrganizationRef;
import dev.gatehouse.core.organization.OrganizationService;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.http.api.ManagementAuthenticator;
import dev.gatehouse.http.api.RpcErrors;
import dev.gatehouse.http.api.RpcStatusJson;
import dev.gatehouse.proto.organizations.GetOrganizationResponse;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code GET /api/v1/organizations:external/{external_id}}: the REST binding of
 * GetOrganizationByExternalId, which the transcoder cannot express (see organizations.proto).
 * Same authentication, JSON and error shape as the transcoded routes.
 */
public final class OrganizationByExternalIdRoute {
    static final String PATH_PREFIX = "/api/v1/organizations:external/";
    private static final JsonFormat.Printer JSON = JsonFormat.printer()
            .preservingProtoFieldNames().includingDefaultValueFields().omittingInsignificantWhitespace();

    private final OrganizationService organizations;
    private final ManagementAuthenticator authenticator;

    public OrganizationByExternalIdRoute(OrganizationService organizations, ManagementAuthenticator authenticator) {
        this.organizations = organizations;
        this.authenticator = authenticator;
    }

    public void bind(ServerBuilder server) {
        server.service("regex:^/api/v1/organizations:external/[^/]+$", (ctx, req) -> {
            if (req.method() != HttpMethod.GET) {
                // 405 with rpcStatus code 12, like every other /api/v1 route, not a 501.
                return dev.gatehouse.http.SurfaceStatus.of(com.linecorp.armeria.common.HttpStatus.METHOD_NOT_ALLOWED);
            }
            String authorization = req.headers().get(HttpHeaderNames.AUTHORIZATION);
            String rawId = ctx.path().substring(PATH_PREFIX.length());
            Optional<String> remote = ctx.remoteAddress() instanceof InetSocketAddress a
                    ? Optional.of(a.getAddress().getHostAddress()) : Optional.empty();
            return HttpResponse.of(() -> serve(authorization, rawId, remote), ctx.blockingTaskExecutor());
        });
    }

    private HttpResponse serve(String authorization, String rawExternalId, Optional<String> remote) {
        var decision = authenticator.authenticate(authorization,
                "scalekit.v1.organizations.OrganizationService/GetOrganizationByExternalId", remote);
        if (decision instanceof ManagementAuthenticator.Decision.Refused refused) {
            return RpcStatusJson.response(RpcErrors.status(Code.UNAUTHENTICATED, refused.message()));
        }
        var caller = ((ManagementAuthenticator.Decision.Admitted) decision).caller();
        String externalId;
        try {
            // Armeria has already decoded most of the path; decode what is left without turning '+' into a space.
            externalId = URLDecoder.decode(rawExternalId.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return RpcStatusJson.response(RpcErrors.status(Code.INVALID_ARGUMENT, "external_id is not URL-encoded correctly"));
        }
        try {
            var organization = organizations.get(caller.environmentId(), new OrganizationRef.ByExternalId(externalId));
            String body = JSON.print(GetOrganizationResponse.newBuilder()
                    .setOrganization(OrganizationMessages.toProto(organization)).build());
            return HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE, MediaType.JSON_UTF_8),
                    HttpData.ofUtf8(body));
        } catch (DomainException e) {
            return RpcStatusJson.response(RpcErrors.fromDomain(e));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
