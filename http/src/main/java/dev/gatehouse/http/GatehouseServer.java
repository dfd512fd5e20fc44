package dev.gatehouse.http;

import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.util.BlockingTaskExecutor;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerListener;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingOptions;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingQueryParamMatchRule;
import com.linecorp.armeria.server.metric.MetricCollectingService;
import com.linecorp.armeria.common.metric.MeterIdPrefixFunction;
import dev.gatehouse.http.api.ManagementAuthInterceptor;
import dev.gatehouse.http.api.RestStatus;
import dev.gatehouse.http.api.RpcStatusJson;
import dev.gatehouse.http.oauth.OAuthRoutes;
import dev.gatehouse.http.ops.OpsRoutes;
import io.grpc.BindableService;
import io.grpc.ServiceDescriptor;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * The one port: HTTP/1.1 and HTTP/2 (h2c with prior knowledge, or TLS with ALPN), gRPC, REST
 * through HTTP/JSON transcoding of the same services, the OAuth endpoints, and the ops routes.
 */
public final class GatehouseServer {
    /** Shared by every server of the process: a marshaller per message type, each built once (D-ST2). */
    private static final LazyJsonMarshaller JSON = new LazyJsonMarshaller();

    private GatehouseServer() {}

    public static Server build(HttpSettings settings, List<BindableService> managementServices,
                               ManagementAuthInterceptor auth, List<java.util.function.Consumer<ServerBuilder>> extraRoutes,
                               OAuthRoutes oauth, OpsRoutes ops, MeterRegistry meters) {
        ServerBuilder server = Server.builder();
        if (settings.tlsCertificate().isPresent() && settings.tlsPrivateKey().isPresent()) {
            // Port unification: TLS (h2 or http/1.1 by ALPN) and plain HTTP on the same port.
            server.port(settings.port(), SessionProtocol.HTTPS, SessionProtocol.HTTP);
            server.tls(settings.tlsCertificate().get().toFile(), settings.tlsPrivateKey().get().toFile());
        } else {
            server.http(settings.port());
        }
        // One event loop per core, not Armeria's two: the token endpoint signs on its event loops (D-TP11), and CPU-bound
        // loops sharing cores are time-sliced by the kernel, which stretched the token endpoint's latency tail.
        server.workerGroup(Runtime.getRuntime().availableProcessors())
                .maxRequestLength(settings.maxRequestBytes())
                .requestTimeout(settings.requestTimeout())
                .blockingTaskExecutor(BlockingTaskExecutor.builder()
                        .numThreads(settings.blockingThreads())
                        .threadNamePrefix("gatehouse-blocking")
                        .build(), true)
                .gracefulShutdownTimeout(settings.shutdownQuietPeriod(), settings.shutdownTimeout())
                .meterRegistry(meters)
                .errorHandler(new SurfaceErrorHandler(new dev.gatehouse.http.pages.Pages()));

        GrpcService grpc = GrpcService.builder()
                .addServices(managementServices)
                .intercept(auth)
                .useBlockingTaskExecutor(true)
                .maxRequestMessageLength(settings.maxRequestBytes())
                .jsonMarshallerFactory(descriptor -> JSON)
                .enableHttpJsonTranscoding(HttpJsonTranscodingOptions.builder()
                        .queryParamMatchRules(HttpJsonTranscodingQueryParamMatchRule.ORIGINAL_FIELD,
                                HttpJsonTranscodingQueryParamMatchRule.LOWER_CAMEL_CASE)
                        .errorHandler(new RpcStatusJson())
                        .build())
                .build();
        RestStatus restStatus = new RestStatus();
        server.service(grpc, delegate -> delegate.decorate(restStatus));

        extraRoutes.forEach(route -> route.accept(server));
        oauth.bind(server);
        ops.bind(server);
        server.decorator(MetricCollectingService.newDecorator(MeterIdPrefixFunction.ofDefault("gatehouse.http")));
        List<ServiceDescriptor> descriptors = managementServices.stream()
                .map(service -> service.bindService().getServiceDescriptor()).toList();
        server.serverListener(ServerListener.builder().whenStarted(started -> prepareJson(descriptors)).build());
        return server.build();
    }

    /** Once the port is open: the JSON marshallers of the message types no request has needed yet (D-ST2). */
    private static void prepareJson(List<ServiceDescriptor> descriptors) {
        Thread.ofPlatform().daemon().name("gatehouse-json-warmup").priority(Thread.MIN_PRIORITY)
                .start(() -> JSON.prepare(descriptors));
    }
}
