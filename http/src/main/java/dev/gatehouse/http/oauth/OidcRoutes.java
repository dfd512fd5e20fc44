package dev.gatehouse.http.oauth;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.environment.EnvironmentDirectory;
import dev.gatehouse.core.wire.WireRequest;
import dev.gatehouse.core.wire.WireResponse;
import dev.gatehouse.http.SurfaceStatus;
import dev.gatehouse.oauth.endpoint.DiscoveryEndpoint;
import dev.gatehouse.oauth.endpoint.IntrospectionEndpoint;
import dev.gatehouse.oauth.endpoint.RevocationEndpoint;
import dev.gatehouse.oauth.endpoint.UserInfoEndpoint;
import java.util.function.Function;

/** Discovery, userinfo, introspection and revocation on the port, each off the event loop. */
public final class OidcRoutes {
    static final int MAX_BODY_BYTES = 16 * 1024;

    private final EnvironmentDirectory environments;
    private final DiscoveryEndpoint discovery;
    private final UserInfoEndpoint userInfo;
    private final IntrospectionEndpoint introspection;
    private final RevocationEndpoint revocation;

    public OidcRoutes(EnvironmentDirectory environments, DiscoveryEndpoint discovery, UserInfoEndpoint userInfo,
                      IntrospectionEndpoint introspection, RevocationEndpoint revocation) {
        this.environments = environments;
        this.discovery = discovery;
        this.userInfo = userInfo;
        this.introspection = introspection;
        this.revocation = revocation;
    }

    public void bind(ServerBuilder server) {
        server.service("/.well-known/openid-configuration", metadata(discovery::openidConfiguration));
        server.service("/.well-known/oauth-authorization-server", metadata(discovery::authorizationServerMetadata));
        server.service("/userinfo", wire(userInfo::handle));
        server.service("/oauth/introspect", wire(introspection::handle));
        server.service("/oauth/revoke", wire(revocation::handle));
    }

    private HttpService metadata(Function<Environment, WireResponse> document) {
        return (ctx, req) -> {
            if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
                return SurfaceStatus.of(HttpStatus.METHOD_NOT_ALLOWED);
            }
            String authority = WireAdapter.authority(ctx, req.authority());
            return HttpResponse.of(() -> environments.byAuthority(authority)
                    .map(env -> WireAdapter.toArmeria(document.apply(env)))
                    .orElseGet(() -> SurfaceStatus.of(HttpStatus.NOT_FOUND)), ctx.blockingTaskExecutor());
        };
    }

    private static HttpService wire(Function<WireRequest, WireResponse> endpoint) {
        return (ctx, req) -> {
            ctx.setMaxRequestLength(MAX_BODY_BYTES);
            return HttpResponse.of(req.aggregate().thenApplyAsync(
                    aggregated -> WireAdapter.toArmeria(endpoint.apply(WireAdapter.toWire(ctx, aggregated))),
                    ctx.blockingTaskExecutor()));
        };
    }
}
