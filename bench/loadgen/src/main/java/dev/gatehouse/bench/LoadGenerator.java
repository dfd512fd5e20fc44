package dev.gatehouse.bench;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.gatehouse.proto.organizations.CreateOrganization;
import dev.gatehouse.proto.organizations.CreateOrganizationRequest;
import dev.gatehouse.proto.organizations.GetOrganizationRequest;
import dev.gatehouse.proto.organizations.OrganizationServiceGrpc;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load: {@code concurrency} workers each send one request, wait for the answer, and
 * send the next, for {@code seconds}. Prints one line: {@code rps=… p50_ms=… p99_ms=… errors=…}.
 *
 * <p>usage: LoadGenerator URL TOKEN rest|grpc create|get CONCURRENCY SECONDS
 */
public final class LoadGenerator {
    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: LoadGenerator URL TOKEN rest|grpc create|get CONCURRENCY SECONDS");
            System.exit(2);
        }
        String url = args[0];
        String token = args[1];
        boolean grpc = args[2].equals("grpc");
        boolean create = args[3].equals("create");
        int concurrency = Integer.parseInt(args[4]);
        Duration duration = Duration.ofSeconds(Long.parseLong(args[5]));

        ClientFactory factory = ClientFactory.builder().maxNumEventLoopsPerEndpoint(2).build();
        var stub = GrpcClients.builder(url).factory(factory)
                .addHeader(HttpHeaderNames.AUTHORIZATION, "Bearer " + token)
                .responseTimeout(Duration.ofSeconds(10))
                .build(OrganizationServiceGrpc.OrganizationServiceBlockingStub.class);
        WebClient web = WebClient.builder(url).factory(factory).responseTimeout(Duration.ofSeconds(10)).build();

        String existingId = stub.createOrganization(CreateOrganizationRequest.newBuilder()
                .setOrganization(CreateOrganization.newBuilder().setDisplayName("bench target")).build())
                .getOrganization().getId();

        AtomicLong sequence = new AtomicLong();
        ClosedLoop.Result result = ClosedLoop.run(concurrency, duration, worker -> () -> grpc
                ? callGrpc(stub, create, existingId, sequence)
                : callRest(web, token, create, existingId, sequence));
        System.out.println(result.line("errors"));
        factory.close();
    }

    private static boolean callGrpc(OrganizationServiceGrpc.OrganizationServiceBlockingStub stub, boolean create,
                                    String existingId, AtomicLong sequence) {
        if (create) {
            return stub.createOrganization(CreateOrganizationRequest.newBuilder().setOrganization(
                    CreateOrganization.newBuilder().setDisplayName("bench " + sequence.incrementAndGet())
                            .putAllMetadata(Map.of("source", "bench"))).build()).hasOrganization();
        }
        return stub.getOrganization(GetOrganizationRequest.newBuilder().setId(existingId).build()).hasOrganization();
    }

    private static boolean callRest(WebClient web, String token, boolean create, String existingId, AtomicLong sequence) {
        AggregatedHttpResponse response;
        if (create) {
            String body = "{\"display_name\":\"bench " + sequence.incrementAndGet() + "\",\"metadata\":{\"source\":\"bench\"}}";
            response = web.execute(HttpRequest.of(RequestHeaders.builder(HttpMethod.POST, "/api/v1/organizations")
                    .add(HttpHeaderNames.AUTHORIZATION, "Bearer " + token)
                    .contentType(MediaType.JSON_UTF_8).build(), com.linecorp.armeria.common.HttpData.ofUtf8(body)))
                    .aggregate().join();
        } else {
            response = web.execute(RequestHeaders.of(HttpMethod.GET, "/api/v1/organizations/" + existingId,
                    HttpHeaderNames.AUTHORIZATION, "Bearer " + token)).aggregate().join();
        }
        return response.status().code() < 300;
    }
}
