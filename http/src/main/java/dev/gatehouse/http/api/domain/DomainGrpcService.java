package dev.gatehouse.http.api.domain;

import com.google.protobuf.Empty;
import dev.gatehouse.core.connection.Domain;
import dev.gatehouse.core.connection.DomainService;
import dev.gatehouse.core.organization.OrganizationRef;
import dev.gatehouse.http.api.Caller;
import dev.gatehouse.http.api.RestStatus;
import dev.gatehouse.http.api.Rpc;
import dev.gatehouse.http.api.RpcErrors;
import dev.gatehouse.proto.domains.*;
import io.grpc.stub.StreamObserver;
import java.util.Optional;

/**
 * {@code scalekit.v1.domains.DomainService}, served as gRPC and (transcoded) REST. {@code VerifyDomain} marks the
 * domain verified by the caller (an admin); DNS TXT verification is not implemented (D-CN6).
 */
public final class DomainGrpcService extends DomainServiceGrpc.DomainServiceImplBase {
    private final DomainService domains;

    public DomainGrpcService(DomainService domains) {
        this.domains = domains;
    }

    @Override
    public void createDomain(CreateDomainRequest request, StreamObserver<CreateDomainResponse> observer) {
        Rpc.respond(observer, () -> {
            OrganizationRef organization = organization(request.getIdentitiesCase() == CreateDomainRequest.IdentitiesCase.EXTERNAL_ID,
                    request.getOrganizationId(), request.getExternalId());
            if (!request.hasDomain()) {
                throw RpcErrors.invalidArgument("domain", "domain is required", "required");
            }
            Optional<String> connection = request.hasConnectionId() && !request.getConnectionId().isEmpty()
                    ? Optional.of(DomainMessages.required("connection_id", request.getConnectionId(), 32)) : Optional.empty();
            Domain created = domains.create(env(), organization, request.getDomain().getDomain(),
                    DomainMessages.type(request.getDomain().getDomainType(), "domain.domain_type"), connection);
            RestStatus.markCreated();
            return CreateDomainResponse.newBuilder().setDomain(DomainMessages.toProto(created)).build();
        });
    }

    @Override
    public void getDomain(GetDomainRequest request, StreamObserver<GetDomainResponse> observer) {
        Rpc.respond(observer, () -> GetDomainResponse.newBuilder().setDomain(DomainMessages.toProto(domains.get(env(),
                organization(request.getIdentitiesCase() == GetDomainRequest.IdentitiesCase.EXTERNAL_ID,
                        request.getOrganizationId(), request.getExternalId()),
                DomainMessages.required("id", request.getId(), 32)))).build());
    }

    @Override
    public void listDomains(ListDomainRequest request, StreamObserver<ListDomainResponse> observer) {
        Rpc.respond(observer, () -> {
            OrganizationRef organization = organization(request.getIdentitiesCase() == ListDomainRequest.IdentitiesCase.EXTERNAL_ID,
                    request.getOrganizationId(), request.getExternalId());
            int size = request.hasPageSize() ? request.getPageSize().getValue() : 0;
            int number = request.hasPageNumber() ? request.getPageNumber().getValue() : 0;
            var response = ListDomainResponse.newBuilder()
                    .setPageSize(size == 0 ? DomainService.DEFAULT_PAGE_SIZE : size)
                    .setPageNumber(Math.max(number, 1));
            domains.list(env(), organization, DomainMessages.type(request.getDomainType(), "domain_type"), number, size)
                    .forEach(d -> response.addDomains(DomainMessages.toProto(d)));
            return response.build();
        });
    }

    @Override
    public void deleteDomain(DeleteDomainRequest request, StreamObserver<Empty> observer) {
        Rpc.respond(observer, () -> {
            domains.delete(env(), organization(request.getIdentitiesCase() == DeleteDomainRequest.IdentitiesCase.EXTERNAL_ID,
                    request.getOrganizationId(), request.getExternalId()), DomainMessages.required("id", request.getId(), 32));
            return Empty.getDefaultInstance();
        });
    }

    /** Assigns the domain to a connection of its organization ({@code connection_id}), or to none (empty). */
    @Override
    public void updateDomain(UpdateDomainRequest request, StreamObserver<UpdateDomainResponse> observer) {
        Rpc.respond(observer, () -> {
            OrganizationRef organization = organization(request.getIdentitiesCase() == UpdateDomainRequest.IdentitiesCase.EXTERNAL_ID,
                    request.getOrganizationId(), request.getExternalId());
            String id = DomainMessages.required("id", request.getId(), 32);
            Domain domain = request.hasConnectionId()
                    ? domains.assignConnection(env(), organization, id, Optional.of(request.getConnectionId())
                            .filter(c -> !c.isEmpty()).map(c -> DomainMessages.required("connection_id", c, 32)))
                    : domains.get(env(), organization, id);
            return UpdateDomainResponse.newBuilder().setDomain(DomainMessages.toProto(domain)).build();
        });
    }

    @Override
    public void verifyDomain(VerifyDomainRequest request, StreamObserver<VerifyDomainResponse> observer) {
        Rpc.respond(observer, () -> {
            Domain domain = domains.verify(env(), organization(request.getIdentitiesCase() == VerifyDomainRequest.IdentitiesCase.EXTERNAL_ID,
                    request.getOrganizationId(), request.getExternalId()), DomainMessages.required("id", request.getId(), 32));
            return VerifyDomainResponse.newBuilder().setVerified(domain.verifiedAt().isPresent()).build();
        });
    }

    private static OrganizationRef organization(boolean byExternalId, String organizationId, String externalId) {
        return DomainMessages.organization(byExternalId, organizationId, externalId);
    }

    private static String env() {
        return Caller.current().environmentId();
    }
}
