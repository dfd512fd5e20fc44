package dev.gatehouse.http.api.organization;

import com.google.protobuf.Empty;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationFeature;
import dev.gatehouse.core.organization.OrganizationService;
import dev.gatehouse.core.portal.IssuedPortalLink;
import dev.gatehouse.core.portal.PortalLink;
import dev.gatehouse.core.portal.PortalLinkService;
import dev.gatehouse.core.sessionpolicy.SessionPolicyService;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import dev.gatehouse.http.api.Caller;
import dev.gatehouse.http.api.PageTokens;
import dev.gatehouse.http.api.RestStatus;
import dev.gatehouse.http.api.Rpc;
import dev.gatehouse.http.api.RpcErrors;
import dev.gatehouse.proto.organizations.*;
import io.grpc.stub.StreamObserver;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code scalekit.v1.organizations.OrganizationService}, served as gRPC and (transcoded) REST. */
public final class OrganizationGrpcService extends OrganizationServiceGrpc.OrganizationServiceImplBase {
    static final int DEFAULT_PAGE_SIZE = 10;
    static final int MAX_PAGE_SIZE = 100;
    static final int MAX_SEARCH_PAGE_SIZE = 30;

    private final OrganizationService organizations;
    private final PortalLinkService portalLinks;
    private final SessionPolicyService sessionPolicies;

    public OrganizationGrpcService(OrganizationService organizations, PortalLinkService portalLinks,
                                   SessionPolicyService sessionPolicies) {
        this.organizations = organizations;
        this.portalLinks = portalLinks;
        this.sessionPolicies = sessionPolicies;
    }

    @Override
    public void createOrganization(CreateOrganizationRequest request, StreamObserver<CreateOrganizationResponse> observer) {
        Rpc.respond(observer, () -> {
            if (!request.hasOrganization()) {
                throw RpcErrors.invalidArgument("organization", "organization is required", "required");
            }
            Organization created = organizations.create(Caller.current().environmentId(),
                    OrganizationMessages.toNew(request.getOrganization()));
            RestStatus.markCreated();
            return CreateOrganizationResponse.newBuilder().setOrganization(OrganizationMessages.toProto(created)).build();
        });
    }

    @Override
    public void getOrganization(GetOrganizationRequest request, StreamObserver<GetOrganizationResponse> observer) {
        Rpc.respond(observer, () -> get(request));
    }

    @Override
    public void getOrganizationByExternalId(GetOrganizationRequest request, StreamObserver<GetOrganizationResponse> observer) {
        Rpc.respond(observer, () -> get(request));
    }

    private GetOrganizationResponse get(GetOrganizationRequest request) {
        var ref = OrganizationMessages.ref(request.getId(), request.getExternalId(),
                request.getIdentitiesCase() == GetOrganizationRequest.IdentitiesCase.EXTERNAL_ID);
        return GetOrganizationResponse.newBuilder()
                .setOrganization(OrganizationMessages.toProto(organizations.get(Caller.current().environmentId(), ref)))
                .build();
    }

    @Override
    public void listOrganization(ListOrganizationsRequest request, StreamObserver<ListOrganizationsResponse> observer) {
        Rpc.respond(observer, () -> {
            long requested = Integer.toUnsignedLong(request.getPageSize()); // uint32 on the wire
            int size = requested == 0 ? DEFAULT_PAGE_SIZE : (int) Math.min(requested, MAX_PAGE_SIZE);
            Page<Organization> page = organizations.list(Caller.current().environmentId(),
                    new PageRequest(size, PageTokens.decode(request.getPageToken())),
                    request.hasExternalId() ? Optional.of(request.getExternalId()) : Optional.empty());
            var response = ListOrganizationsResponse.newBuilder()
                    .setNextPageToken(PageTokens.encode(page.next()))
                    .setPrevPageToken(PageTokens.encode(page.previous()))
                    .setTotalSize(PageTokens.totalSize(page));
            page.items().forEach(o -> response.addOrganizations(OrganizationMessages.toProto(o)));
            return response.build();
        });
    }

    @Override
    public void searchOrganization(SearchOrganizationsRequest request, StreamObserver<SearchOrganizationsResponse> observer) {
        Rpc.respond(observer, () -> {
            long requested = Integer.toUnsignedLong(request.getPageSize()); // uint32 on the wire
            if (requested > MAX_SEARCH_PAGE_SIZE) {
                throw RpcErrors.invalidArgument("page_size", "page_size must be at most 30", "uint32.lte");
            }
            int size = requested == 0 ? DEFAULT_PAGE_SIZE : (int) requested;
            Page<Organization> page = organizations.search(Caller.current().environmentId(), request.getQuery(),
                    new PageRequest(size, PageTokens.decode(request.getPageToken())));
            var response = SearchOrganizationsResponse.newBuilder()
                    .setNextPageToken(PageTokens.encode(page.next()))
                    .setPrevPageToken(PageTokens.encode(page.previous()))
                    .setTotalSize(PageTokens.totalSize(page));
            page.items().forEach(o -> response.addOrganizations(OrganizationMessages.toProto(o)));
            return response.build();
        });
    }

    @Override
    public void updateOrganization(UpdateOrganizationRequest request, StreamObserver<UpdateOrganizationResponse> observer) {
        Rpc.respond(observer, () -> {
            if (!request.hasOrganization()) {
                throw RpcErrors.invalidArgument("organization", "organization is required", "required");
            }
            var ref = OrganizationMessages.ref(request.getId(), request.getExternalId(),
                    request.getIdentitiesCase() == UpdateOrganizationRequest.IdentitiesCase.EXTERNAL_ID);
            Optional<java.util.List<String>> mask = request.hasUpdateMask()
                    ? Optional.of(java.util.List.copyOf(request.getUpdateMask().getPathsList())) : Optional.empty();
            Organization updated = organizations.update(Caller.current().environmentId(), ref,
                    OrganizationMessages.toPatch(request.getOrganization(), mask));
            return UpdateOrganizationResponse.newBuilder().setOrganization(OrganizationMessages.toProto(updated)).build();
        });
    }

    @Override
    public void deleteOrganization(DeleteOrganizationRequest request, StreamObserver<Empty> observer) {
        Rpc.respond(observer, () -> {
            var ref = OrganizationMessages.ref(request.getId(), request.getExternalId(),
                    request.getIdentitiesCase() == DeleteOrganizationRequest.IdentitiesCase.EXTERNAL_ID);
            organizations.delete(Caller.current().environmentId(), ref);
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void updateOrganizationSettings(UpdateOrganizationSettingsRequest request, StreamObserver<GetOrganizationResponse> observer) {
        Rpc.respond(observer, () -> {
            String id = OrganizationMessages.checkedId("id", request.getId());
            if (!request.hasSettings()) {
                throw RpcErrors.invalidArgument("settings", "settings is required", "required");
            }
            Map<String, Boolean> toggles = new LinkedHashMap<>();
            request.getSettings().getFeaturesList().forEach(f -> toggles.put(f.getName(), f.getEnabled()));
            Organization updated = organizations.updateFeatures(Caller.current().environmentId(), id, toggles);
            return GetOrganizationResponse.newBuilder().setOrganization(OrganizationMessages.toProto(updated)).build();
        });
    }

    @Override
    public void upsertUserManagementSettings(UpsertUserManagementSettingsRequest request,
                                             StreamObserver<UpsertUserManagementSettingsResponse> observer) {
        Rpc.respond(observer, () -> {
            String id = OrganizationMessages.checkedId("organization_id", request.getOrganizationId());
            if (!request.hasSettings()) {
                throw RpcErrors.invalidArgument("settings", "settings is required", "required");
            }
            Optional<Integer> max = request.getSettings().hasMaxAllowedUsers()
                    ? Optional.of(request.getSettings().getMaxAllowedUsers().getValue()) : Optional.empty();
            Organization updated = organizations.updateMaxAllowedUsers(Caller.current().environmentId(), id, max);
            return UpsertUserManagementSettingsResponse.newBuilder()
                    .setSettings(OrganizationMessages.userManagement(updated)).build();
        });
    }

    @Override
    public void getOrganizationUserManagementSetting(GetOrganizationUserManagementSettingsRequest request,
                                                     StreamObserver<GetOrganizationUserManagementSettingsResponse> observer) {
        Rpc.respond(observer, () -> {
            String id = OrganizationMessages.checkedId("organization_id", request.getOrganizationId());
            Organization organization = organizations.get(Caller.current().environmentId(),
                    new dev.gatehouse.core.organization.OrganizationRef.ById(id));
            return GetOrganizationUserManagementSettingsResponse.newBuilder()
                    .setSettings(OrganizationMessages.userManagement(organization)).build();
        });
    }

    // ---- admin portal links (docs/DECISIONS.md D-AP1)

    @Override
    public void generatePortalLink(GeneratePortalLinkRequest request, StreamObserver<GeneratePortalLinkResponse> observer) {
        Rpc.respond(observer, () -> {
            String id = OrganizationMessages.checkedId("id", request.getId());
            Set<OrganizationFeature> features = EnumSet.noneOf(OrganizationFeature.class);
            // Over REST the transcoder drops enum names it does not know (unknown input is ignored), so the query's
            // features are read here: an unknown one is a 400, as grpc-gateway answers it.
            var ctx = com.linecorp.armeria.server.ServiceRequestContext.currentOrNull();
            for (String name : ctx == null ? java.util.List.<String>of() : ctx.queryParams().getAll("features")) {
                features.add(OrganizationFeature.fromWire(name).orElseThrow(() -> RpcErrors.invalidArgument("features",
                        "features must be sso or dir_sync", "enum.defined_only")));
            }
            for (Feature feature : request.getFeaturesList()) {
                features.add(switch (feature) {
                    case sso -> OrganizationFeature.SSO;
                    case dir_sync -> OrganizationFeature.DIRECTORY_SYNC;
                    default -> throw RpcErrors.invalidArgument("features", "features must be sso or dir_sync",
                            "enum.defined_only");
                });
            }
            if (request.hasSso() && request.getSso()) {
                features.add(OrganizationFeature.SSO);
            }
            if (request.hasDirectorySync() && request.getDirectorySync()) {
                features.add(OrganizationFeature.DIRECTORY_SYNC);
            }
            IssuedPortalLink issued = portalLinks.generate(Caller.current().environmentId(), id, features);
            return GeneratePortalLinkResponse.newBuilder()
                    .setLink(link(issued.link(), issued.location(Caller.current().environment().issuerUrl())))
                    .build();
        });
    }

    /** The live links; their {@code location} is the portal's address without the secret, which only Generate shows. */
    @Override
    public void getPortalLinks(GetPortalLinkRequest request, StreamObserver<GetPortalLinksResponse> observer) {
        Rpc.respond(observer, () -> {
            String id = OrganizationMessages.checkedId("id", request.getId());
            String issuer = Caller.current().environment().issuerUrl();
            var response = GetPortalLinksResponse.newBuilder();
            portalLinks.listLive(Caller.current().environmentId(), id)
                    .forEach(link -> response.addLinks(link(link, link.address(issuer))));
            return response.build();
        });
    }

    @Override
    public void deletePortalLink(DeletePortalLinkRequest request, StreamObserver<Empty> observer) {
        Rpc.respond(observer, () -> {
            portalLinks.deleteAll(Caller.current().environmentId(), OrganizationMessages.checkedId("id", request.getId()));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void deletePortalLinkByID(DeletePortalLinkByIdRequest request, StreamObserver<Empty> observer) {
        Rpc.respond(observer, () -> {
            String id = OrganizationMessages.checkedId("id", request.getId());
            String linkId = OrganizationMessages.checkedId("link_id", request.getLinkId());
            portalLinks.delete(Caller.current().environmentId(), id, linkId);
            return Empty.getDefaultInstance();
        });
    }

    private static Link link(PortalLink link, String location) {
        return Link.newBuilder().setId(link.id()).setLocation(location)
                .setExpireTime(dev.gatehouse.http.api.ProtoTimestamps.of(link.expireTime())).build();
    }

    // ---- session policies (docs/DECISIONS.md D-AP6)

    @Override
    public void updateOrganizationSessionPolicy(UpdateOrganizationSessionPolicyRequest request,
                                                StreamObserver<UpdateOrganizationSessionPolicyResponse> observer) {
        Rpc.respond(observer, () -> {
            String id = OrganizationMessages.checkedId("organization_id", request.getOrganizationId());
            var policy = sessionPolicies.update(Caller.current().environmentId(), id, SessionPolicyMessages.change(request));
            return UpdateOrganizationSessionPolicyResponse.newBuilder()
                    .setPolicy(SessionPolicyMessages.toProto(policy)).build();
        });
    }

    @Override
    public void getOrganizationSessionPolicy(GetOrganizationSessionPolicyRequest request,
                                             StreamObserver<GetOrganizationSessionPolicyResponse> observer) {
        Rpc.respond(observer, () -> {
            String id = OrganizationMessages.checkedId("organization_id", request.getOrganizationId());
            return GetOrganizationSessionPolicyResponse.newBuilder()
                    .setPolicy(SessionPolicyMessages.toProto(sessionPolicies.get(Caller.current().environmentId(), id)))
                    .build();
        });
    }

    @Override
    public void getApplicationSessionPolicy(GetApplicationSessionPolicyRequest request,
                                            StreamObserver<GetApplicationSessionPolicyResponse> observer) {
        Rpc.respond(observer, () -> {
            String id = OrganizationMessages.checkedId("organization_id", request.getOrganizationId());
            return GetApplicationSessionPolicyResponse.newBuilder()
                    .setApplicationPolicy(SessionPolicyMessages.toProto(
                            sessionPolicies.application(Caller.current().environmentId(), id)))
                    .build();
        });
    }
}
