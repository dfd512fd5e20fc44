package dev.gatehouse.http.api.user;

import com.google.protobuf.Empty;
import dev.gatehouse.core.login.UserIdentityRepository;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import dev.gatehouse.core.user.Membership;
import dev.gatehouse.core.user.NewMembership;
import dev.gatehouse.core.user.Role;
import dev.gatehouse.core.user.UserService;
import dev.gatehouse.core.user.UserView;
import dev.gatehouse.http.api.Caller;
import dev.gatehouse.http.api.PageTokens;
import dev.gatehouse.http.api.RestStatus;
import dev.gatehouse.http.api.Rpc;
import dev.gatehouse.http.api.RpcErrors;
import dev.gatehouse.proto.users.*;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.List;

/**
 * {@code scalekit.v1.users.UserService}, served as gRPC and (transcoded) REST. The RPCs implemented
 * below only as refusals (current user, support hash, permissions) answer
 * UNIMPLEMENTED in the API's error shape.
 */
public final class UserGrpcService extends UserServiceGrpc.UserServiceImplBase {
    static final int DEFAULT_PAGE_SIZE = 10;
    static final int MAX_PAGE_SIZE = 100;
    static final int MAX_SEARCH_PAGE_SIZE = 30;

    private final UserService users;
    private final UserIdentityRepository identities;
    private final Clock clock;

    /** {@code identities}: each user's linked identities, shown as {@code user_profile.external_identities}. */
    public UserGrpcService(UserService users, UserIdentityRepository identities, Clock clock) {
        this.users = users;
        this.identities = identities;
        this.clock = clock;
    }

    @Override
    public void createUserAndMembership(CreateUserAndMembershipRequest request,
                                        StreamObserver<CreateUserAndMembershipResponse> observer) {
        Rpc.respond(observer, () -> {
            String organizationId = UserMessages.organizationId(request.getOrganizationId());
            if (!request.hasUser()) {
                throw RpcErrors.invalidArgument("user", "user is required", "required");
            }
            String env = Caller.current().environmentId();
            NewMembership membership = request.getUser().hasMembership()
                    ? UserMessages.toNew(request.getUser().getMembership()) : NewMembership.defaults();
            UserView created = users.createUserAndMembership(env, organizationId, UserMessages.toNew(request.getUser()),
                    membership, sendInvitation(request.hasSendInvitationEmail(), request.getSendInvitationEmail()));
            RestStatus.markCreated();
            return CreateUserAndMembershipResponse.newBuilder().setUser(toProto(env, created)).build();
        });
    }

    @Override
    public void getUser(GetUserRequest request, StreamObserver<GetUserResponse> observer) {
        Rpc.respond(observer, () -> {
            var ref = UserMessages.ref(request.getId(), request.getExternalId(),
                    request.getIdentitiesCase() == GetUserRequest.IdentitiesCase.EXTERNAL_ID);
            String env = Caller.current().environmentId();
            return GetUserResponse.newBuilder().setUser(toProto(env, users.get(env, ref))).build();
        });
    }

    @Override
    public void listUsers(ListUsersRequest request, StreamObserver<ListUsersResponse> observer) {
        Rpc.respond(observer, () -> {
            String env = Caller.current().environmentId();
            Page<UserView> page = users.list(env, pageRequest(request.getPageSize(), request.getPageToken()));
            var response = ListUsersResponse.newBuilder()
                    .setNextPageToken(PageTokens.encode(page.next()))
                    .setPrevPageToken(PageTokens.encode(page.previous()))
                    .setTotalSize(PageTokens.totalSize(page));
            response.addAllUsers(toProtos(env, page));
            return response.build();
        });
    }

    @Override
    public void listOrganizationUsers(ListOrganizationUsersRequest request,
                                      StreamObserver<ListOrganizationUsersResponse> observer) {
        Rpc.respond(observer, () -> {
            String organizationId = UserMessages.organizationId(request.getOrganizationId());
            String env = Caller.current().environmentId();
            Page<UserView> page = users.listInOrganization(env, organizationId,
                    pageRequest(request.getPageSize(), request.getPageToken()));
            var response = ListOrganizationUsersResponse.newBuilder()
                    .setNextPageToken(PageTokens.encode(page.next()))
                    .setPrevPageToken(PageTokens.encode(page.previous()))
                    .setTotalSize(PageTokens.totalSize(page));
            response.addAllUsers(toProtos(env, page));
            return response.build();
        });
    }

    @Override
    public void updateUser(UpdateUserRequest request, StreamObserver<UpdateUserResponse> observer) {
        Rpc.respond(observer, () -> {
            var ref = UserMessages.ref(request.getId(), request.getExternalId(),
                    request.getIdentitiesCase() == UpdateUserRequest.IdentitiesCase.EXTERNAL_ID);
            if (!request.hasUser()) {
                throw RpcErrors.invalidArgument("user", "user is required", "required");
            }
            String env = Caller.current().environmentId();
            UserView updated = users.update(env, ref, UserMessages.toPatch(request.getUser()));
            return UpdateUserResponse.newBuilder().setUser(toProto(env, updated)).build();
        });
    }

    @Override
    public void deleteUser(DeleteUserRequest request, StreamObserver<Empty> observer) {
        Rpc.respond(observer, () -> {
            var ref = UserMessages.ref(request.getId(), request.getExternalId(),
                    request.getIdentitiesCase() == DeleteUserRequest.IdentitiesCase.EXTERNAL_ID);
            users.delete(Caller.current().environmentId(), ref);
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void createMembership(CreateMembershipRequest request, StreamObserver<CreateMembershipResponse> observer) {
        Rpc.respond(observer, () -> {
            String organizationId = UserMessages.organizationId(request.getOrganizationId());
            var ref = UserMessages.ref(request.getId(), request.getExternalId(),
                    request.getIdentitiesCase() == CreateMembershipRequest.IdentitiesCase.EXTERNAL_ID);
            String env = Caller.current().environmentId();
            NewMembership membership = request.hasMembership()
                    ? UserMessages.toNew(request.getMembership()) : NewMembership.defaults();
            UserView user = users.createMembership(env, organizationId, ref, membership,
                    sendInvitation(request.hasSendInvitationEmail(), request.getSendInvitationEmail()));
            RestStatus.markCreated();
            return CreateMembershipResponse.newBuilder().setUser(toProto(env, user)).build();
        });
    }

    @Override
    public void updateMembership(UpdateMembershipRequest request, StreamObserver<UpdateMembershipResponse> observer) {
        Rpc.respond(observer, () -> {
            String organizationId = UserMessages.organizationId(request.getOrganizationId());
            var ref = UserMessages.ref(request.getId(), request.getExternalId(),
                    request.getIdentitiesCase() == UpdateMembershipRequest.IdentitiesCase.EXTERNAL_ID);
            if (!request.hasMembership()) {
                throw RpcErrors.invalidArgument("membership", "membership is required", "required");
            }
            String env = Caller.current().environmentId();
            UserView user = users.updateMembership(env, organizationId, ref, UserMessages.toPatch(request.getMembership()));
            return UpdateMembershipResponse.newBuilder().setUser(toProto(env, user)).build();
        });
    }

    @Override
    public void deleteMembership(DeleteMembershipRequest request, StreamObserver<Empty> observer) {
        Rpc.respond(observer, () -> {
            String organizationId = UserMessages.organizationId(request.getOrganizationId());
            var ref = UserMessages.ref(request.getId(), request.getExternalId(),
                    request.getIdentitiesCase() == DeleteMembershipRequest.IdentitiesCase.EXTERNAL_ID);
            users.deleteMembership(Caller.current().environmentId(), organizationId, ref,
                    request.hasCascade() && request.getCascade());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void resendInvite(ResendInviteRequest request, StreamObserver<ResendInviteResponse> observer) {
        Rpc.respond(observer, () -> {
            String organizationId = UserMessages.organizationId(request.getOrganizationId());
            String userId = UserMessages.userId("id", request.getId());
            Membership renewed = users.resendInvite(Caller.current().environmentId(), organizationId, userId);
            return ResendInviteResponse.newBuilder().setInvite(UserMessages.invite(renewed, clock.instant())).build();
        });
    }

    @Override
    public void listUserRoles(ListUserRolesRequest request, StreamObserver<ListUserRolesResponse> observer) {
        Rpc.respond(observer, () -> {
            String organizationId = UserMessages.organizationId(request.getOrganizationId());
            String userId = UserMessages.userId("user_id", request.getUserId());
            var response = ListUserRolesResponse.newBuilder();
            users.membershipRoles(Caller.current().environmentId(), organizationId, userId)
                    .forEach(r -> response.addRoles(UserMessages.role(r)));
            return response.build();
        });
    }

    // Not implemented yet: answered with the API's error shape (ErrorInfo UNIMPLEMENTED; 501 over REST).

    @Override
    public void getCurrentUser(GetCurrentUserRequest request, StreamObserver<GetCurrentUserResponse> observer) {
        observer.onError(RpcErrors.unimplemented("GetCurrentUser needs a user session (hosted login), not implemented yet"));
    }

    @Override
    public void getSupportHash(Empty request, StreamObserver<GetSupportHashResponse> observer) {
        observer.onError(RpcErrors.unimplemented("GetSupportHash is not implemented"));
    }

    @Override
    public void searchUsers(SearchUsersRequest request, StreamObserver<SearchUsersResponse> observer) {
        Rpc.respond(observer, () -> {
            String env = Caller.current().environmentId();
            Page<UserView> page = users.search(env, request.getQuery(),
                    searchPageRequest(request.getPageSize(), request.getPageToken()));
            var response = SearchUsersResponse.newBuilder()
                    .setNextPageToken(PageTokens.encode(page.next()))
                    .setPrevPageToken(PageTokens.encode(page.previous()))
                    .setTotalSize(PageTokens.totalSize(page));
            response.addAllUsers(toProtos(env, page));
            return response.build();
        });
    }

    @Override
    public void searchOrganizationUsers(SearchOrganizationUsersRequest request,
                                        StreamObserver<SearchOrganizationUsersResponse> observer) {
        Rpc.respond(observer, () -> {
            String organizationId = UserMessages.organizationId(request.getOrganizationId());
            String env = Caller.current().environmentId();
            Page<UserView> page = users.searchInOrganization(env, organizationId, request.getQuery(),
                    searchPageRequest(request.getPageSize(), request.getPageToken()));
            var response = SearchOrganizationUsersResponse.newBuilder()
                    .setNextPageToken(PageTokens.encode(page.next()))
                    .setPrevPageToken(PageTokens.encode(page.previous()))
                    .setTotalSize(PageTokens.totalSize(page));
            response.addAllUsers(toProtos(env, page));
            return response.build();
        });
    }

    @Override
    public void assignUserRoles(AssignUserRolesRequest request, StreamObserver<AssignUserRolesResponse> observer) {
        Rpc.respond(observer, () -> {
            String organizationId = UserMessages.organizationId(request.getOrganizationId());
            String userId = UserMessages.userId("user_id", request.getUserId());
            List<String> names = request.getRolesList().stream()
                    .map(r -> r.getRoleName().isEmpty() ? r.getId() : r.getRoleName()).toList();
            var response = AssignUserRolesResponse.newBuilder();
            users.assignRoles(Caller.current().environmentId(), organizationId, userId, names)
                    .forEach(r -> response.addRoles(UserMessages.role(r)));
            return response.build();
        });
    }

    @Override
    public void removeUserRole(RemoveUserRoleRequest request, StreamObserver<Empty> observer) {
        Rpc.respond(observer, () -> {
            String organizationId = UserMessages.organizationId(request.getOrganizationId());
            String userId = UserMessages.userId("user_id", request.getUserId());
            if (request.getRoleName().isEmpty() || request.getRoleName().length() > 100) {
                throw RpcErrors.invalidArgument("role_name", "role_name must be between 1 and 100 characters", "string.len");
            }
            users.removeRole(Caller.current().environmentId(), organizationId, userId, request.getRoleName());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void listUserPermissions(ListUserPermissionsRequest request, StreamObserver<ListUserPermissionsResponse> observer) {
        observer.onError(RpcErrors.unimplemented("permissions are not modelled yet"));
    }

    private dev.gatehouse.proto.users.User toProto(String environmentId, UserView view) {
        return UserMessages.toProto(view, users.roles(environmentId),
                identities.listForUser(environmentId, view.user().id()), clock.instant());
    }

    /** Absent means true, as the swagger's {@code send_invitation_email} query parameter defaults. */
    private static boolean sendInvitation(boolean present, boolean value) {
        return !present || value;
    }

    /** Search pages follow the proto's {@code lte: 30} and refuse larger sizes (as organization search does). */
    private static PageRequest searchPageRequest(int pageSize, String pageToken) {
        long requested = Integer.toUnsignedLong(pageSize);
        if (requested > MAX_SEARCH_PAGE_SIZE) {
            throw RpcErrors.invalidArgument("page_size", "page_size must be at most 30", "uint32.lte");
        }
        return new PageRequest(requested == 0 ? DEFAULT_PAGE_SIZE : (int) requested, PageTokens.decode(pageToken));
    }

    private static PageRequest pageRequest(int pageSize, String pageToken) {
        long requested = Integer.toUnsignedLong(pageSize); // uint32 on the wire
        int size = requested == 0 ? DEFAULT_PAGE_SIZE : (int) Math.min(requested, MAX_PAGE_SIZE);
        return new PageRequest(size, PageTokens.decode(pageToken));
    }

    /** The users of a list or search page as protos, with the environment's roles read once. */
    private List<dev.gatehouse.proto.users.User> toProtos(String env, Page<UserView> page) {
        List<Role> roles = users.roles(env);
        java.time.Instant now = clock.instant();
        var linked = identities.listForUsers(env, page.items().stream().map(v -> v.user().id()).toList());
        return page.items().stream()
                .map(v -> UserMessages.toProto(v, roles, linked.getOrDefault(v.user().id(), List.of()), now)).toList();
    }

}
