package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Int32Value;
import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.gatehouse.proto.errdetails.ErrorInfo;
import dev.gatehouse.proto.organizations.CreateOrganization;
import dev.gatehouse.proto.organizations.CreateOrganizationRequest;
import dev.gatehouse.proto.organizations.DeleteOrganizationRequest;
import dev.gatehouse.proto.organizations.GetOrganizationRequest;
import dev.gatehouse.proto.organizations.GetOrganizationUserManagementSettingsRequest;
import dev.gatehouse.proto.organizations.ListOrganizationsRequest;
import dev.gatehouse.proto.organizations.ListOrganizationsResponse;
import dev.gatehouse.proto.organizations.Organization;
import dev.gatehouse.proto.organizations.OrganizationServiceGrpc.OrganizationServiceBlockingStub;
import dev.gatehouse.proto.organizations.OrganizationSettings;
import dev.gatehouse.proto.organizations.OrganizationSettingsFeature;
import dev.gatehouse.proto.organizations.OrganizationUserManagementSettings;
import dev.gatehouse.proto.organizations.SearchOrganizationsRequest;
import dev.gatehouse.proto.organizations.UpdateOrganization;
import dev.gatehouse.proto.organizations.UpdateOrganizationRequest;
import dev.gatehouse.proto.organizations.UpdateOrganizationSettingsRequest;
import dev.gatehouse.proto.organizations.UpsertUserManagementSettingsRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Organizations API as gRPC over h2c, with Armeria's gRPC client, as the official SDKs call it. */
class OrganizationGrpcTest {
    static final Metadata.Key<byte[]> STATUS_DETAILS =
            Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);
    static TestGatehouse gatehouse;
    static ClientFactory clients;
    static OrganizationServiceBlockingStub anonymous;
    static OrganizationServiceBlockingStub authorized;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
        clients = ClientFactory.builder().build();
        anonymous = stub(null);
        authorized = stub(gatehouse.accessToken());
    }

    @AfterAll
    static void stop() {
        if (clients != null) {
            clients.close();
        }
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    static OrganizationServiceBlockingStub stub(String token) {
        var builder = GrpcClients.builder("h2c://127.0.0.1:" + gatehouse.port())
                .factory(clients)
                .responseTimeoutMillis(30_000);
        if (token != null) {
            builder.addHeader("authorization", "Bearer " + token);
        }
        return builder.build(OrganizationServiceBlockingStub.class);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    static Organization create(String displayName, String externalId) {
        CreateOrganization.Builder organization = CreateOrganization.newBuilder().setDisplayName(displayName);
        if (externalId != null) {
            organization.setExternalId(externalId);
        }
        return authorized.createOrganization(CreateOrganizationRequest.newBuilder().setOrganization(organization).build())
                .getOrganization();
    }

    /** The ErrorInfo that the grpc-status-details-bin trailer carries, checked against the status code. */
    static ErrorInfo errorInfo(StatusRuntimeException e, Status.Code code) {
        assertThat(e.getStatus().getCode()).as("%s", e.getStatus()).isEqualTo(code);
        assertThat(e.getTrailers()).isNotNull();
        assertThat(e.getTrailers().containsKey(STATUS_DETAILS)).as("grpc-status-details-bin trailer").isTrue();
        com.google.rpc.Status details = StatusProto.fromThrowable(e);
        assertThat(details).as("grpc-status-details-bin of %s", e.getStatus()).isNotNull();
        assertThat(details.getCode()).isEqualTo(code.value());
        assertThat(details.getMessage()).isNotBlank();
        assertThat(details.getDetailsList()).hasSize(1);
        assertThat(details.getDetails(0).getTypeUrl()).isEqualTo(RpcStatusAssertions.ERROR_INFO_TYPE);
        try {
            ErrorInfo info = details.getDetails(0).unpack(ErrorInfo.class);
            assertThat(info.getErrorCode()).isEqualTo(code.name());
            return info;
        } catch (InvalidProtocolBufferException ex) {
            throw new AssertionError("ErrorInfo does not parse", ex);
        }
    }

    static StatusRuntimeException failure(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(e).as("expected the call to fail").isNotNull();
        return e;
    }

    @Test
    void lazyHandshakeUnauthenticatedThenTokenThenSuccess() {
        // The SDK's first call goes out without a token ...
        StatusRuntimeException refused = failure(() -> anonymous.listOrganization(
                ListOrganizationsRequest.newBuilder().setPageSize(1).build()));
        ErrorInfo info = errorInfo(refused, Status.Code.UNAUTHENTICATED);
        assertThat(info.hasValidationErrorInfo()).isFalse();
        // ... and on UNAUTHENTICATED it fetches a token and calls again.
        OrganizationServiceBlockingStub withToken = stub(gatehouse.accessToken());
        ListOrganizationsResponse listed = withToken.listOrganization(ListOrganizationsRequest.newBuilder().setPageSize(1).build());
        assertThat(listed.getOrganizationsCount()).isLessThanOrEqualTo(1);
    }

    @Test
    void everyMethodRefusesAnonymousAndGarbageCallers() {
        OrganizationServiceBlockingStub garbage = stub("garbage");
        for (OrganizationServiceBlockingStub caller : List.of(anonymous, garbage)) {
            List<Runnable> calls = List.of(
                    () -> caller.createOrganization(CreateOrganizationRequest.newBuilder()
                            .setOrganization(CreateOrganization.newBuilder().setDisplayName("Intruder")).build()),
                    () -> caller.getOrganization(GetOrganizationRequest.newBuilder().setId("org_10000000000000000").build()),
                    () -> caller.getOrganizationByExternalId(GetOrganizationRequest.newBuilder().setExternalId("x").build()),
                    () -> caller.listOrganization(ListOrganizationsRequest.getDefaultInstance()),
                    () -> caller.searchOrganization(SearchOrganizationsRequest.newBuilder().setQuery("abc").build()),
                    () -> caller.updateOrganization(UpdateOrganizationRequest.newBuilder().setId("org_10000000000000000")
                            .setOrganization(UpdateOrganization.newBuilder().setDisplayName("x")).build()),
                    () -> caller.deleteOrganization(DeleteOrganizationRequest.newBuilder().setId("org_10000000000000000").build()),
                    () -> caller.updateOrganizationSettings(UpdateOrganizationSettingsRequest.newBuilder()
                            .setId("org_10000000000000000").setSettings(OrganizationSettings.getDefaultInstance()).build()),
                    () -> caller.getOrganizationUserManagementSetting(GetOrganizationUserManagementSettingsRequest.newBuilder()
                            .setOrganizationId("org_10000000000000000").build()),
                    () -> caller.upsertUserManagementSettings(UpsertUserManagementSettingsRequest.newBuilder()
                            .setOrganizationId("org_10000000000000000")
                            .setSettings(OrganizationUserManagementSettings.getDefaultInstance()).build()));
            for (Runnable call : calls) {
                long mark = gatehouse.auditMark();
                errorInfo(failure(call), Status.Code.UNAUTHENTICATED);
                assertThat(gatehouse.auditSince(mark, "management_api.auth.rejected")).hasSize(1);
            }
        }
    }

    @Test
    void createGetListUpdateDelete() {
        String externalId = unique("grpc");
        Organization created = authorized.createOrganization(CreateOrganizationRequest.newBuilder()
                .setOrganization(CreateOrganization.newBuilder().setDisplayName("gRPC Corp").setExternalId(externalId)
                        .putMetadata("tier", "gold").setRegionCode(dev.gatehouse.proto.commons.RegionCode.US))
                .build()).getOrganization();
        assertThat(created.getId()).matches("^org_\\d{17}$");
        assertThat(created.getDisplayName()).isEqualTo("gRPC Corp");
        assertThat(created.getExternalId()).isEqualTo(externalId);
        assertThat(created.getMetadataMap()).containsExactly(java.util.Map.entry("tier", "gold"));
        assertThat(created.getRegionCode()).isEqualTo(dev.gatehouse.proto.commons.RegionCode.US);
        assertThat(created.hasCreateTime()).isTrue();
        assertThat(created.getUpdateTime()).isEqualTo(created.getCreateTime());
        assertThat(created.getSettings().getFeaturesList()).extracting(OrganizationSettingsFeature::getName)
                .containsExactly("sso", "dir_sync");

        assertThat(authorized.getOrganization(GetOrganizationRequest.newBuilder().setId(created.getId()).build())
                .getOrganization()).isEqualTo(created);
        // The SDK sends the external ID to GetOrganization; GetOrganizationByExternalId answers too.
        assertThat(authorized.getOrganization(GetOrganizationRequest.newBuilder().setExternalId(externalId).build())
                .getOrganization()).isEqualTo(created);
        assertThat(authorized.getOrganizationByExternalId(GetOrganizationRequest.newBuilder().setExternalId(externalId).build())
                .getOrganization()).isEqualTo(created);

        ListOrganizationsResponse filtered = authorized.listOrganization(ListOrganizationsRequest.newBuilder()
                .setExternalId(externalId).build());
        assertThat(filtered.getOrganizationsList()).containsExactly(created);
        assertThat(filtered.getTotalSize()).isEqualTo(1);

        Organization renamed = authorized.updateOrganization(UpdateOrganizationRequest.newBuilder().setId(created.getId())
                .setOrganization(UpdateOrganization.newBuilder().setDisplayName("gRPC Corp II")).build()).getOrganization();
        assertThat(renamed.getDisplayName()).isEqualTo("gRPC Corp II");
        assertThat(renamed.getExternalId()).isEqualTo(externalId);
        assertThat(renamed.getMetadataMap()).containsExactly(java.util.Map.entry("tier", "gold"));
        assertThat(renamed.getCreateTime()).isEqualTo(created.getCreateTime());

        // By external ID, with a mask that clears metadata.
        Organization masked = authorized.updateOrganization(UpdateOrganizationRequest.newBuilder().setExternalId(externalId)
                .setOrganization(UpdateOrganization.getDefaultInstance())
                .setUpdateMask(FieldMask.newBuilder().addPaths("metadata")).build()).getOrganization();
        assertThat(masked.getId()).isEqualTo(created.getId());
        assertThat(masked.getMetadataMap()).isEmpty();
        assertThat(masked.getDisplayName()).isEqualTo("gRPC Corp II");

        Organization featured = authorized.updateOrganizationSettings(UpdateOrganizationSettingsRequest.newBuilder()
                .setId(created.getId()).setSettings(OrganizationSettings.newBuilder()
                        .addFeatures(OrganizationSettingsFeature.newBuilder().setName("sso").setEnabled(true))).build())
                .getOrganization();
        assertThat(featured.getSettings().getFeaturesList()).extracting(OrganizationSettingsFeature::getEnabled)
                .containsExactly(true, false);

        assertThat(authorized.upsertUserManagementSettings(UpsertUserManagementSettingsRequest.newBuilder()
                .setOrganizationId(created.getId()).setSettings(OrganizationUserManagementSettings.newBuilder()
                        .setMaxAllowedUsers(Int32Value.of(7))).build()).getSettings().getMaxAllowedUsers().getValue())
                .isEqualTo(7);
        assertThat(authorized.getOrganizationUserManagementSetting(GetOrganizationUserManagementSettingsRequest.newBuilder()
                .setOrganizationId(created.getId()).build()).getSettings().getMaxAllowedUsers().getValue()).isEqualTo(7);

        authorized.deleteOrganization(DeleteOrganizationRequest.newBuilder().setId(created.getId()).build());
        errorInfo(failure(() -> authorized.getOrganization(GetOrganizationRequest.newBuilder().setId(created.getId()).build())),
                Status.Code.NOT_FOUND);
        errorInfo(failure(() -> authorized.deleteOrganization(DeleteOrganizationRequest.newBuilder()
                .setId(created.getId()).build())), Status.Code.NOT_FOUND);
    }

    @Test
    void deleteByExternalId() {
        String externalId = unique("grpc-del");
        Organization created = create("Delete By External", externalId);
        authorized.deleteOrganization(DeleteOrganizationRequest.newBuilder().setExternalId(externalId).build());
        errorInfo(failure(() -> authorized.getOrganization(GetOrganizationRequest.newBuilder().setId(created.getId()).build())),
                Status.Code.NOT_FOUND);
    }

    @Test
    void listPagesThroughEveryOrganization() {
        List<String> mine = new ArrayList<>();
        String prefix = unique("page");
        for (int i = 0; i < 12; i++) {
            mine.add(create("gRPC page " + i, prefix + "-" + i).getId());
        }
        List<String> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListOrganizationsResponse page = authorized.listOrganization(ListOrganizationsRequest.newBuilder()
                    .setPageSize(5).setPageToken(token).build());
            assertThat(page.getOrganizationsCount()).isLessThanOrEqualTo(5);
            assertThat(page.getTotalSize()).isGreaterThanOrEqualTo(12);
            page.getOrganizationsList().forEach(o -> seen.add(o.getId()));
            token = page.getNextPageToken();
            pages++;
            assertThat(pages).as("paging must end").isLessThan(1000);
        } while (!token.isEmpty());
        assertThat(seen).doesNotHaveDuplicates().containsAll(mine).isSorted();
    }

    @Test
    void searchFindsByDisplayName() {
        String marker = unique("needle");
        Organization created = create("Haystack " + marker, null);
        var found = authorized.searchOrganization(SearchOrganizationsRequest.newBuilder().setQuery(marker).build());
        assertThat(found.getOrganizationsList()).extracting(Organization::getId).containsExactly(created.getId());
        errorInfo(failure(() -> authorized.searchOrganization(SearchOrganizationsRequest.newBuilder().setQuery("ab").build())),
                Status.Code.INVALID_ARGUMENT);
        errorInfo(failure(() -> authorized.searchOrganization(SearchOrganizationsRequest.newBuilder().setQuery(marker)
                .setPageSize(31).build())), Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void notFoundCarriesErrorInfo() {
        String unknown = "org_10000000000000009";
        List<Function<String, Object>> calls = List.of(
                id -> authorized.getOrganization(GetOrganizationRequest.newBuilder().setId(id).build()),
                id -> authorized.getOrganization(GetOrganizationRequest.newBuilder().setExternalId(unique("none")).build()),
                id -> authorized.updateOrganization(UpdateOrganizationRequest.newBuilder().setId(id)
                        .setOrganization(UpdateOrganization.newBuilder().setDisplayName("x")).build()),
                id -> authorized.deleteOrganization(DeleteOrganizationRequest.newBuilder().setId(id).build()),
                id -> authorized.getOrganizationUserManagementSetting(GetOrganizationUserManagementSettingsRequest.newBuilder()
                        .setOrganizationId(id).build()));
        for (Function<String, Object> call : calls) {
            ErrorInfo info = errorInfo(failure(() -> call.apply(unknown)), Status.Code.NOT_FOUND);
            assertThat(info.hasValidationErrorInfo()).isFalse();
        }
    }

    @Test
    void invalidArgumentCarriesFieldViolations() {
        long before = authorized.listOrganization(ListOrganizationsRequest.getDefaultInstance()).getTotalSize();

        ErrorInfo noName = errorInfo(failure(() -> authorized.createOrganization(CreateOrganizationRequest.newBuilder()
                .setOrganization(CreateOrganization.getDefaultInstance()).build())), Status.Code.INVALID_ARGUMENT);
        assertThat(noName.getValidationErrorInfo().getFieldViolationsList())
                .extracting(v -> v.getField()).contains("organization.display_name");

        ErrorInfo badMetadata = errorInfo(failure(() -> authorized.createOrganization(CreateOrganizationRequest.newBuilder()
                .setOrganization(CreateOrganization.newBuilder().setDisplayName("Meta").putMetadata("ab", "v")).build())),
                Status.Code.INVALID_ARGUMENT);
        assertThat(badMetadata.getValidationErrorInfo().getFieldViolationsList())
                .extracting(v -> v.getField()).contains("organization.metadata[ab]");

        ErrorInfo noOrganization = errorInfo(failure(() -> authorized.createOrganization(
                CreateOrganizationRequest.getDefaultInstance())), Status.Code.INVALID_ARGUMENT);
        assertThat(noOrganization.getValidationErrorInfo().getFieldViolationsList())
                .extracting(v -> v.getField()).contains("organization");

        errorInfo(failure(() -> authorized.getOrganization(GetOrganizationRequest.getDefaultInstance())),
                Status.Code.INVALID_ARGUMENT);
        errorInfo(failure(() -> authorized.listOrganization(ListOrganizationsRequest.newBuilder()
                .setPageToken("not-a-token").build())), Status.Code.INVALID_ARGUMENT);

        String externalId = unique("grpc-dup");
        create("Original", externalId);
        long withOriginal = before + 1;
        errorInfo(failure(() -> create("Duplicate", externalId)), Status.Code.ALREADY_EXISTS);

        assertThat(authorized.listOrganization(ListOrganizationsRequest.getDefaultInstance()).getTotalSize())
                .as("nothing half-written").isEqualTo(withOriginal);
    }

    @Test
    void pageSizeOverTheLimitIsCoerced() {
        for (int i = 0; i < 3; i++) {
            create("Coerce " + i, null);
        }
        ListOrganizationsResponse page = authorized.listOrganization(ListOrganizationsRequest.newBuilder()
                .setPageSize(1000).build());
        assertThat(page.getOrganizationsCount()).isEqualTo(Math.min(100, page.getTotalSize()));
    }
}
