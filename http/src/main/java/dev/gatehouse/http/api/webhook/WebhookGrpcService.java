package dev.gatehouse.http.api.webhook;

import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import dev.gatehouse.core.webhook.EndpointWithSecret;
import dev.gatehouse.core.webhook.NewWebhookEndpoint;
import dev.gatehouse.core.webhook.WebhookDeliveries;
import dev.gatehouse.core.webhook.WebhookDeliveryLog;
import dev.gatehouse.core.webhook.WebhookEndpoint;
import dev.gatehouse.core.webhook.WebhookEndpointPatch;
import dev.gatehouse.core.webhook.WebhookEndpointService;
import dev.gatehouse.http.api.Caller;
import dev.gatehouse.http.api.RestStatus;
import dev.gatehouse.http.api.Rpc;
import dev.gatehouse.http.api.RpcErrors;
import dev.gatehouse.proto.webhooks.*;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@code gatehouse.v1.webhooks.WebhookService}: endpoints and their delivery log, as gRPC and REST (/api/v1/webhooks). */
public final class WebhookGrpcService extends WebhookServiceGrpc.WebhookServiceImplBase {
    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAX_PAGE_SIZE = 100;

    private final WebhookEndpointService endpoints;
    private final WebhookDeliveryLog log;

    public WebhookGrpcService(WebhookEndpointService endpoints, WebhookDeliveryLog log) {
        this.endpoints = endpoints;
        this.log = log;
    }

    @Override
    public void createWebhookEndpoint(CreateWebhookEndpointRequest request, StreamObserver<CreateWebhookEndpointResponse> observer) {
        Rpc.respond(observer, () -> {
            if (!request.hasEndpoint()) {
                throw RpcErrors.invalidArgument("endpoint", "endpoint is required", "required");
            }
            var e = request.getEndpoint();
            EndpointWithSecret created = endpoints.create(env(), new NewWebhookEndpoint(e.getUrl(), e.getDescription(),
                    List.copyOf(e.getEventTypesList()), !e.hasEnabled() || e.getEnabled()));
            RestStatus.markCreated();
            return withSecret(created);
        });
    }

    @Override
    public void listWebhookEndpoints(ListWebhookEndpointsRequest request, StreamObserver<ListWebhookEndpointsResponse> observer) {
        Rpc.respond(observer, () -> {
            var response = ListWebhookEndpointsResponse.newBuilder();
            endpoints.list(env()).forEach(e -> response.addEndpoints(toProto(e)));
            return response.build();
        });
    }

    @Override
    public void getWebhookEndpoint(GetWebhookEndpointRequest request, StreamObserver<GetWebhookEndpointResponse> observer) {
        Rpc.respond(observer, () -> one(endpoints.get(env(), request.getId())));
    }

    @Override
    public void updateWebhookEndpoint(UpdateWebhookEndpointRequest request, StreamObserver<GetWebhookEndpointResponse> observer) {
        Rpc.respond(observer, () -> {
            if (!request.hasEndpoint()) {
                throw RpcErrors.invalidArgument("endpoint", "endpoint is required", "required");
            }
            var e = request.getEndpoint();
            Optional<List<String>> types = e.getClearEventTypes() ? Optional.of(List.of())
                    : e.getEventTypesCount() > 0 ? Optional.of(List.copyOf(e.getEventTypesList())) : Optional.empty();
            return one(endpoints.update(env(), request.getId(), new WebhookEndpointPatch(
                    e.hasUrl() ? Optional.of(e.getUrl()) : Optional.empty(),
                    e.hasDescription() ? Optional.of(e.getDescription()) : Optional.empty(), types)));
        });
    }

    @Override
    public void deleteWebhookEndpoint(DeleteWebhookEndpointRequest request, StreamObserver<Empty> observer) {
        Rpc.respond(observer, () -> {
            endpoints.delete(env(), request.getId());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void enableWebhookEndpoint(EnableWebhookEndpointRequest request, StreamObserver<GetWebhookEndpointResponse> observer) {
        Rpc.respond(observer, () -> one(endpoints.setEnabled(env(), request.getId(), true)));
    }

    @Override
    public void disableWebhookEndpoint(DisableWebhookEndpointRequest request, StreamObserver<GetWebhookEndpointResponse> observer) {
        Rpc.respond(observer, () -> one(endpoints.setEnabled(env(), request.getId(), false)));
    }

    @Override
    public void rotateWebhookSecret(RotateWebhookSecretRequest request, StreamObserver<CreateWebhookEndpointResponse> observer) {
        Rpc.respond(observer, () -> withSecret(endpoints.rotateSecret(env(), request.getId())));
    }

    @Override
    public void listWebhookAttempts(ListWebhookAttemptsRequest request, StreamObserver<ListWebhookAttemptsResponse> observer) {
        Rpc.respond(observer, () -> {
            if (request.getPageSize() < 0 || request.getPageSize() > MAX_PAGE_SIZE) {
                throw RpcErrors.invalidArgument("page_size", "page_size must be between 0 and 100", "int32.lte");
            }
            int size = request.getPageSize() == 0 ? DEFAULT_PAGE_SIZE : request.getPageSize();
            long before = Long.MAX_VALUE;
            if (!request.getPageToken().isEmpty()) {
                try {
                    before = Long.parseLong(request.getPageToken());
                } catch (NumberFormatException ex) {
                    throw RpcErrors.invalidArgument("page_token", "page_token is not valid", "page_token");
                }
            }
            List<WebhookDeliveries.Attempt> attempts = log.attempts(env(), request.getId(), size + 1, before);
            var response = ListWebhookAttemptsResponse.newBuilder();
            attempts.stream().limit(size).forEach(a -> response.addAttempts(toProto(a)));
            if (attempts.size() > size) {
                response.setNextPageToken(Long.toString(attempts.get(size - 1).id()));
            }
            return response.build();
        });
    }

    @Override
    public void resendWebhookEvent(ResendWebhookEventRequest request, StreamObserver<Empty> observer) {
        Rpc.respond(observer, () -> {
            log.resend(env(), request.getId(), request.getEventId());
            return Empty.getDefaultInstance();
        });
    }

    private static String env() {
        return Caller.current().environmentId();
    }

    private static GetWebhookEndpointResponse one(WebhookEndpoint endpoint) {
        return GetWebhookEndpointResponse.newBuilder().setEndpoint(toProto(endpoint)).build();
    }

    private static CreateWebhookEndpointResponse withSecret(EndpointWithSecret created) {
        return CreateWebhookEndpointResponse.newBuilder()
                .setEndpoint(toProto(created.endpoint())).setSecret(created.secret()).build();
    }

    static dev.gatehouse.proto.webhooks.WebhookEndpoint toProto(WebhookEndpoint e) {
        var b = dev.gatehouse.proto.webhooks.WebhookEndpoint.newBuilder()
                .setId(e.id()).setUrl(e.url()).setDescription(e.description()).addAllEventTypes(e.eventTypes())
                .setEnabled(e.enabled()).setCreateTime(timestamp(e.createTime())).setUpdateTime(timestamp(e.updateTime()))
                .setDisabledReason(e.disabledReason().orElse(""));
        e.previousSecretExpiresAt().ifPresent(t -> b.setPreviousSecretExpireTime(timestamp(t)));
        e.failingSince().ifPresent(t -> b.setFailingSince(timestamp(t)));
        return b.build();
    }

    static WebhookAttempt toProto(WebhookDeliveries.Attempt a) {
        return WebhookAttempt.newBuilder()
                .setId(Long.toString(a.id())).setEventId(a.eventId()).setEventType(a.eventType())
                .setAttemptNumber(a.attemptNumber()).setAttemptTime(timestamp(a.time()))
                .setStatus(a.succeeded() ? "SUCCEEDED" : "FAILED")
                .setResponseCode(a.responseCode().orElse(0)).setLatencyMillis(a.latencyMillis())
                .setResponseExcerpt(a.responseExcerpt().orElse("")).setError(a.error().orElse(""))
                .build();
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
