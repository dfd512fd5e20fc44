package dev.gatehouse.http.api.audit;

import dev.gatehouse.core.audit.AuditLogService;
import dev.gatehouse.core.audit.AuditQuery;
import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.StoredAuditRecord;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.http.api.Caller;
import dev.gatehouse.http.api.PageTokens;
import dev.gatehouse.http.api.Rpc;
import dev.gatehouse.proto.auditlogs.AuditLogsServiceGrpc;
import dev.gatehouse.proto.auditlogs.AuthLogRequest;
import dev.gatehouse.proto.auditlogs.ConnectionDetails;
import dev.gatehouse.proto.auditlogs.ListAuthLogRequest;
import dev.gatehouse.proto.auditlogs.ListAuthLogResponse;
import io.grpc.stub.StreamObserver;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code scalekit.v1.auditlogs.AuditLogsService.ListAuthRequests} ({@code GET /api/v1/logs/authentication/requests}):
 * the caller's environment's authentication decisions, newest first (docs/DECISIONS.md D-A4). Each
 * audit record that is not a management change becomes one {@code AuthLogRequest}.
 */
public final class AuditLogsGrpcService extends AuditLogsServiceGrpc.AuditLogsServiceImplBase {
    private final AuditLogService audit;

    public AuditLogsGrpcService(AuditLogService audit) {
        this.audit = audit;
    }

    @Override
    public void listAuthRequests(ListAuthLogRequest request, StreamObserver<ListAuthLogResponse> observer) {
        Rpc.respond(observer, () -> {
            AuditQuery query = AuditQuery.all(Caller.current().environmentId()).authenticationDecisions();
            Optional<String> email = AuditMessages.filter(request.getEmail(), "email");
            Optional<String> client = AuditMessages.filter(request.getClientId(), "client_id");
            Optional<String> resource = AuditMessages.filter(request.getResourceId(), "resource_id");
            Optional<String> account = AuditMessages.filter(request.getConnectedAccountIdentifier(),
                    "connected_account_identifier");
            if (email.isPresent()) {
                query = query.withEmail(email.get());
            }
            if (client.isPresent()) {
                query = query.withActor(client.get());
            }
            if (resource.isPresent()) {
                query = query.withAttribute("resource_id", resource.get());
            }
            if (account.isPresent()) {
                query = query.withAttribute("connected_account_identifier", account.get());
            }
            Set<AuditRecord.Outcome> outcomes = EnumSet.noneOf(AuditRecord.Outcome.class);
            request.getStatusList().forEach(status -> outcomes.add(AuditMessages.outcome(status, "status")));
            query = query.withOutcomes(outcomes)
                    .between(AuditMessages.instant(request.hasStartTime(), request.getStartTime(), "start_time"),
                            AuditMessages.instant(request.hasEndTime(), request.getEndTime(), "end_time"));
            Page<StoredAuditRecord> page = audit.find(query,
                    AuditMessages.page(request.getPageSize(), request.getPageToken()));
            var response = ListAuthLogResponse.newBuilder()
                    .setNextPageToken(PageTokens.encode(page.next()))
                    .setPrevPageToken(PageTokens.encode(page.previous()))
                    .setTotalSize(PageTokens.totalSize(page));
            page.items().forEach(r -> response.addAuthRequests(toAuthLog(r)));
            return response.build();
        });
    }

    /** One decision on the wire; fields come from the record and the attributes its producer set (D-A4). */
    static AuthLogRequest toAuthLog(StoredAuditRecord stored) {
        AuditRecord r = stored.record();
        Map<String, String> a = r.attributes();
        String actor = r.actor().orElse("");
        boolean actorIsEmail = actor.contains("@");
        var log = AuthLogRequest.newBuilder()
                .setOrganizationId(r.organizationId().orElse(""))
                .setEnvironmentId(r.environmentId().orElse(""))
                .setConnectionId(a.getOrDefault("connection_id", ""))
                .setAuthRequestId(a.getOrDefault("auth_request_id", stored.id()))
                .setEmail(a.getOrDefault("email", actorIsEmail ? actor : ""))
                .setConnectionType(a.getOrDefault("connection_type", ""))
                .setConnectionProvider(a.getOrDefault("connection_provider", ""))
                .setStatus(r.outcome().name())
                .setTimestamp(AuditMessages.timestamp(r.time()))
                .setWorkflow(r.type())
                .setResourceId(a.getOrDefault("resource_id", ""))
                .setResourceName(a.getOrDefault("resource_name", ""))
                .setResourceType(a.getOrDefault("resource_type", ""))
                .setConnectedAccountIdentifier(a.getOrDefault("connected_account_identifier", ""))
                .setClientId(a.getOrDefault("client_id", actorIsEmail ? "" : actor))
                .setClientName(a.getOrDefault("client_name", ""))
                .setClientType(a.getOrDefault("client_type", ""));
        if (a.containsKey("connection_id")) {
            log.addConnectionDetails(ConnectionDetails.newBuilder()
                    .setConnectionId(a.get("connection_id"))
                    .setOrganizationId(r.organizationId().orElse(""))
                    .setConnectionType(a.getOrDefault("connection_type", ""))
                    .setConnectionProvider(a.getOrDefault("connection_provider", "")));
        }
        return log.build();
    }
}
