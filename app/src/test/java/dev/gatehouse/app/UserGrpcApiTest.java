package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.gatehouse.proto.commons.MembershipStatus;
import dev.gatehouse.proto.commons.Role;
import dev.gatehouse.proto.errdetails.ErrorInfo;
import dev.gatehouse.proto.organizations.CreateOrganization;
import dev.gatehouse.proto.organizations.CreateOrganizationRequest;
import dev.gatehouse.proto.organizations.DeleteOrganizationRequest;
import dev.gatehouse.proto.organizations.OrganizationServiceGrpc;
import dev.gatehouse.proto.users.*;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Users API over gRPC (h2c) against a whole running Gatehouse. */
class UserGrpcApiTest {
    private static UserTestGatehouse gatehouse;
    private static UserServiceGrpc.UserServiceBlockingStub users;
    private static OrganizationServiceGrpc.OrganizationServiceBlockingStub organizations;

    @BeforeAll
    static void start() throws Exception {
        gatehouse = UserTestGatehouse.start();
        String auth = "Bearer " + gatehouse.token();
        users = GrpcClients.builder(gatehouse.baseUrl).addHeader("authorization", auth)
                .build(UserServiceGrpc.UserServiceBlockingStub.class);
        organizations = GrpcClients.builder(gatehouse.baseUrl).addHeader("authorization", auth)
                .build(OrganizationServiceGrpc.OrganizationServiceBlockingStub.class);
    }

    @AfterAll
    static void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    private static String organization(String name) {
        return organizations.createOrganization(CreateOrganizationRequest.newBuilder()
                .setOrganization(CreateOrganization.newBuilder().setDisplayName(name)).build()).getOrganization().getId();
    }

    private static String email() {
        return "g" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private static void assertStatus(Runnable call, Status.Code code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            com.google.rpc.Status status = StatusProto.fromThrowable(e);
            assertThat(status).isNotNull();
            try {
                assertThat(status.getDetails(0).unpack(ErrorInfo.class).getErrorCode()).isEqualTo(code.name());
            } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                throw new AssertionError(ex);
            }
        });
    }

    @Test
    void userLifecycleWhenDrivenOverGrpcThenEveryStepAnswersAndExternalIdWorks() {
        String org = organization("Grpc Acme");
        String externalId = "ext-" + UUID.randomUUID();
        User created = users.createUserAndMembership(CreateUserAndMembershipRequest.newBuilder()
                .setOrganizationId(org)
                .setSendInvitationEmail(false)
                .setUser(CreateUser.newBuilder().setEmail(email()).setExternalId(externalId).putMetadata("plan", "pro")
                        .setUserProfile(CreateUserProfile.newBuilder().setFirstName("Grace").setLastName("Hopper")))
                .build()).getUser();
        assertThat(created.getMemberships(0).getMembershipStatus()).isEqualTo(MembershipStatus.ACTIVE);
        assertThat(created.getUserProfile().getFirstName()).isEqualTo("Grace");

        assertThat(users.getUser(GetUserRequest.newBuilder().setExternalId(externalId).build()).getUser()).isEqualTo(created);

        User updated = users.updateUser(UpdateUserRequest.newBuilder().setExternalId(externalId)
                .setUser(UpdateUser.newBuilder().putMetadata("plan", "enterprise")).build()).getUser();
        assertThat(updated.getMetadataMap()).containsEntry("plan", "enterprise");

        String second = organization("Grpc Beta");
        User withTwo = users.createMembership(CreateMembershipRequest.newBuilder().setOrganizationId(second)
                .setExternalId(externalId)
                .setMembership(CreateMembership.newBuilder().addRoles(Role.newBuilder().setName("admin"))).build()).getUser();
        assertThat(withTwo.getMembershipsCount()).isEqualTo(2);

        User promoted = users.updateMembership(UpdateMembershipRequest.newBuilder().setOrganizationId(org)
                .setId(created.getId())
                .setMembership(UpdateMembership.newBuilder().addRoles(Role.newBuilder().setName("admin"))).build()).getUser();
        assertThat(promoted.getMembershipsList()).allSatisfy(m -> assertThat(m.getRoles(0).getName()).isEqualTo("admin"));

        assertThat(users.listUserRoles(ListUserRolesRequest.newBuilder().setOrganizationId(org).setUserId(created.getId())
                .build()).getRolesList()).extracting(Role::getName).containsExactly("admin");

        // Deleting an organization removes its memberships.
        organizations.deleteOrganization(DeleteOrganizationRequest.newBuilder().setId(second).build());
        assertThat(users.getUser(GetUserRequest.newBuilder().setId(created.getId()).build()).getUser().getMembershipsCount())
                .isEqualTo(1);

        users.deleteMembership(DeleteMembershipRequest.newBuilder().setOrganizationId(org).setId(created.getId())
                .setCascade(true).build());
        assertStatus(() -> users.getUser(GetUserRequest.newBuilder().setId(created.getId()).build()), Status.Code.NOT_FOUND);
    }

    @Test
    void callsWhenBadInputThenInvalidArgumentNotFoundOrAlreadyExistsWithErrorInfo() {
        String org = organization("Grpc Bad");
        assertStatus(() -> users.createUserAndMembership(CreateUserAndMembershipRequest.newBuilder()
                .setOrganizationId(org).build()), Status.Code.INVALID_ARGUMENT);
        assertStatus(() -> users.getUser(GetUserRequest.getDefaultInstance()), Status.Code.INVALID_ARGUMENT);
        assertStatus(() -> users.getUser(GetUserRequest.newBuilder().setExternalId("").build()), Status.Code.INVALID_ARGUMENT);
        assertStatus(() -> users.getUser(GetUserRequest.newBuilder().setId("usr_1").build()), Status.Code.NOT_FOUND);
        assertStatus(() -> users.updateMembership(UpdateMembershipRequest.newBuilder().setOrganizationId(org)
                .setId("usr_1").build()), Status.Code.INVALID_ARGUMENT);
        assertStatus(() -> users.listOrganizationUsers(ListOrganizationUsersRequest.newBuilder()
                .setOrganizationId("org_1").build()), Status.Code.NOT_FOUND);
        String mail = email();
        users.createUserAndMembership(CreateUserAndMembershipRequest.newBuilder().setOrganizationId(org)
                .setUser(CreateUser.newBuilder().setEmail(mail)).build());
        assertStatus(() -> users.createUserAndMembership(CreateUserAndMembershipRequest.newBuilder().setOrganizationId(org)
                .setUser(CreateUser.newBuilder().setEmail(mail.toUpperCase())).build()), Status.Code.ALREADY_EXISTS);
        assertStatus(() -> users.getCurrentUser(GetCurrentUserRequest.getDefaultInstance()), Status.Code.UNIMPLEMENTED);
    }

    @Test
    void callsWhenNoTokenThenUnauthenticated() {
        UserServiceGrpc.UserServiceBlockingStub anonymous = GrpcClients.builder(gatehouse.baseUrl)
                .build(UserServiceGrpc.UserServiceBlockingStub.class);
        assertThatThrownBy(() -> anonymous.listUsers(ListUsersRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }
}
