package dev.gatehouse.http.ops;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** {@code /healthz} (the process answers), {@code /readyz} (it can serve) and {@code /metrics} (Prometheus). */
public final class OpsRoutes {
    private final Readiness readiness;
    private final PrometheusMeterRegistry registry;

    public OpsRoutes(Readiness readiness, PrometheusMeterRegistry registry) {
        this.readiness = readiness;
        this.registry = registry;
    }

    public void bind(ServerBuilder server) {
        server.service("/healthz", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "ok"));
        server.service("/readyz", (ctx, req) -> HttpResponse.of(() -> readiness.isReady()
                ? HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "ready")
                : HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8, "not ready"),
                ctx.blockingTaskExecutor()));
        server.service("/metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK,
                MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), registry.scrape()));
    }
}
