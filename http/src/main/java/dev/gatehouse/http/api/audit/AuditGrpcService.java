package dev.gatehouse.http.api.audit;

import dev.gatehouse.core.audit.AuditLogService;
import dev.gatehouse.core.audit.AuditQuery;
import dev.gatehouse.core.audit.ChainReport;
import dev.gatehouse.core.audit.StoredAuditRecord;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.http.api.Caller;
import dev.gatehouse.http.api.PageTokens;
import dev.gatehouse.http.api.Rpc;
import dev.gatehouse.proto.audit.AuditServiceGrpc;
import dev.gatehouse.proto.audit.ListAuditRecordsRequest;
import dev.gatehouse.proto.audit.ListAuditRecordsResponse;
import dev.gatehouse.proto.audit.VerifyAuditChainRequest;
import dev.gatehouse.proto.audit.VerifyAuditChainResponse;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.Set;

/**
 * {@code gatehouse.v1.audit.AuditService}: the caller's environment's audit records (REST
 * {@code GET /api/v1/audit/records}) and the verification of its hash chain
 * ({@code GET /api/v1/audit/chain:verify}).
 */
public final class AuditGrpcService extends AuditServiceGrpc.AuditServiceImplBase {
    private final AuditLogService audit;

    public AuditGrpcService(AuditLogService audit) {
        this.audit = audit;
    }

    @Override
    public void listAuditRecords(ListAuditRecordsRequest request, StreamObserver<ListAuditRecordsResponse> observer) {
        Rpc.respond(observer, () -> {
            AuditQuery query = AuditQuery.all(Caller.current().environmentId());
            Optional<String> organization = AuditMessages.filter(request.getOrganizationId(), "organization_id");
            Optional<String> type = AuditMessages.filter(request.getType(), "type");
            Optional<String> actor = AuditMessages.filter(request.getActor(), "actor");
            if (organization.isPresent()) {
                query = query.withOrganization(organization.get());
            }
            if (type.isPresent()) {
                query = query.withType(type.get());
            }
            if (actor.isPresent()) {
                query = query.withActor(actor.get());
            }
            if (!request.getOutcome().isEmpty()) {
                query = query.withOutcomes(Set.of(AuditMessages.outcome(request.getOutcome(), "outcome")));
            }
            query = query.between(AuditMessages.instant(request.hasStartTime(), request.getStartTime(), "start_time"),
                    AuditMessages.instant(request.hasEndTime(), request.getEndTime(), "end_time"));
            Page<StoredAuditRecord> page = audit.find(query,
                    AuditMessages.page(request.getPageSize(), request.getPageToken()));
            var response = ListAuditRecordsResponse.newBuilder()
                    .setNextPageToken(PageTokens.encode(page.next()))
                    .setPrevPageToken(PageTokens.encode(page.previous()))
                    .setTotalSize(PageTokens.totalSize(page));
            page.items().forEach(r -> response.addRecords(AuditMessages.toProto(r)));
            return response.build();
        });
    }

    @Override
    public void verifyAuditChain(VerifyAuditChainRequest request, StreamObserver<VerifyAuditChainResponse> observer) {
        Rpc.respond(observer, () -> {
            ChainReport report = audit.verify(Optional.of(Caller.current().environmentId()));
            var response = VerifyAuditChainResponse.newBuilder()
                    .setIntact(report.intact())
                    .setRecords(report.records())
                    .setUnhashedRecords(report.unhashedRecords())
                    .setHeadSequence(report.head().sequence());
            report.head().hash().ifPresent(response::setHeadHash);
            report.firstBreak().ifPresent(broken -> {
                response.setBrokenAtSequence(broken.sequence())
                        .setBreakKind(broken.kind().name())
                        .setBreakDetail(broken.detail());
                broken.recordId().ifPresent(response::setBrokenRecordId);
            });
            return response.build();
        });
    }
}
