package dev.gatehouse.http.oauth;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import dev.gatehouse.core.environment.EnvironmentDirectory;
import dev.gatehouse.core.wire.WireRequest;
import dev.gatehouse.http.SurfaceStatus;
import dev.gatehouse.oauth.endpoint.JwksEndpoint;
import dev.gatehouse.oauth.endpoint.TokenEndpoint;
import java.util.concurrent.CompletableFuture;

/** Binds the framework-free OAuth endpoints to the port. Every endpoint but D-TP11's token path runs off the event loop. */
public final class OAuthRoutes {
    private final TokenEndpoint token;
    private final JwksEndpoint jwks;
    private final EnvironmentDirectory environments;

    public OAuthRoutes(TokenEndpoint token, JwksEndpoint jwks, EnvironmentDirectory environments) {
        this.token = token;
        this.jwks = jwks;
        this.environments = environments;
    }

    public void bind(ServerBuilder server) {
        server.service("/oauth/token", tokenService());
        HttpService keys = (ctx, req) -> {
            if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
                return SurfaceStatus.of(com.linecorp.armeria.common.HttpStatus.METHOD_NOT_ALLOWED);
            }
            String authority = WireAdapter.authority(ctx, req.authority());
            return HttpResponse.of(() -> environments.byAuthority(authority)
                            .map(env -> WireAdapter.toArmeria(jwks.handle(env)))
                            .orElseGet(() -> SurfaceStatus.of(com.linecorp.armeria.common.HttpStatus.NOT_FOUND)),
                    ctx.blockingTaskExecutor());
        };
        server.service("/keys", keys);
        server.service("/.well-known/jwks.json", keys);
    }

    /**
     * A client_credentials request of a client verified moments ago is answered from the event loop that read it;
     * every other request runs on a blocking thread (D-TP11). TokenEndpoint refuses (and audits) anything but POST.
     */
    private HttpService tokenService() {
        return (ctx, req) -> HttpResponse.of(req.aggregate().thenCompose(aggregated -> {
            WireRequest wire = WireAdapter.toWire(ctx, aggregated);
            return token.handleFromMemory(wire)
                    .orElseGet(() -> CompletableFuture.supplyAsync(() -> token.handle(wire), ctx.blockingTaskExecutor()))
                    .thenApply(WireAdapter::toArmeria);
        }));
    }
}
