package dev.gatehouse.http.api.directory;

import com.google.protobuf.Empty;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import dev.gatehouse.core.directory.Directory;
import dev.gatehouse.core.directory.DirectoryGroup;
import dev.gatehouse.core.directory.DirectoryProvider;
import dev.gatehouse.core.directory.DirectorySecret;
import dev.gatehouse.core.directory.DirectoryService;
import dev.gatehouse.core.directory.DirectoryType;
import dev.gatehouse.core.directory.DirectoryUser;
import dev.gatehouse.core.directory.IssuedDirectorySecret;
import dev.gatehouse.core.directory.RoleAssignment;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import dev.gatehouse.http.api.Caller;
import dev.gatehouse.http.api.PageTokens;
import dev.gatehouse.http.api.RestStatus;
import dev.gatehouse.http.api.Rpc;
import dev.gatehouse.http.api.RpcErrors;
import dev.gatehouse.proto.directories.*;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@code scalekit.v1.directories.DirectoryService}: the RPCs Gatehouse implements; the rest answer UNIMPLEMENTED. */
public final class DirectoryGrpcService extends DirectoryServiceGrpc.DirectoryServiceImplBase {
    static final int DEFAULT_PAGE_SIZE = 10;
    static final int MAX_PAGE_SIZE = 30;

    private final DirectoryService directories;

    public DirectoryGrpcService(DirectoryService directories) {
        this.directories = directories;
    }

    @Override
    public void createDirectory(CreateDirectoryRequest request, StreamObserver<CreateDirectoryResponse> observer) {
        Rpc.respond(observer, () -> {
            String org = required("organization_id", request.getOrganizationId());
            if (!request.hasDirectory()) {
                throw RpcErrors.invalidArgument("directory", "directory is required", "required");
            }
            DirectoryType type = switch (request.getDirectory().getDirectoryType()) {
                case SCIM -> DirectoryType.SCIM;
                case LDAP -> DirectoryType.LDAP;
                case POLL -> DirectoryType.POLL;
                default -> throw RpcErrors.invalidArgument("directory.directory_type",
                        "directory_type must be one of SCIM, LDAP, POLL", "enum.defined_only");
            };
            Directory created = directories.create(env(), org, type, provider(request.getDirectory().getDirectoryProvider()));
            RestStatus.markCreated();
            return CreateDirectoryResponse.newBuilder().setDirectory(toProto(created)).build();
        });
    }

    @Override
    public void getDirectory(GetDirectoryRequest request, StreamObserver<GetDirectoryResponse> observer) {
        Rpc.respond(observer, () -> GetDirectoryResponse.newBuilder()
                .setDirectory(toProto(directories.get(env(), required("organization_id", request.getOrganizationId()),
                        required("id", request.getId()))))
                .build());
    }

    @Override
    public void listDirectories(ListDirectoriesRequest request, StreamObserver<ListDirectoriesResponse> observer) {
        Rpc.respond(observer, () -> {
            var response = ListDirectoriesResponse.newBuilder();
            directories.list(env(), required("organization_id", request.getOrganizationId()))
                    .forEach(d -> response.addDirectories(toProto(d)));
            return response.build();
        });
    }

    @Override
    public void deleteDirectory(DeleteDirectoryRequest request, StreamObserver<Empty> observer) {
        Rpc.respond(observer, () -> {
            directories.delete(env(), required("organization_id", request.getOrganizationId()), required("id", request.getId()));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void enableDirectory(ToggleDirectoryRequest request, StreamObserver<ToggleDirectoryResponse> observer) {
        Rpc.respond(observer, () -> toggle(request, true));
    }

    @Override
    public void disableDirectory(ToggleDirectoryRequest request, StreamObserver<ToggleDirectoryResponse> observer) {
        Rpc.respond(observer, () -> toggle(request, false));
    }

    private ToggleDirectoryResponse toggle(ToggleDirectoryRequest request, boolean enabled) {
        DirectoryService.Toggle result = directories.setEnabled(env(),
                required("organization_id", request.getOrganizationId()), required("id", request.getId()), enabled);
        var response = ToggleDirectoryResponse.newBuilder().setEnabled(result.enabled());
        result.errorMessage().ifPresent(response::setErrorMessage);
        return response.build();
    }

    @Override
    public void createDirectorySecret(CreateDirectorySecretRequest request, StreamObserver<CreateDirectorySecretResponse> observer) {
        Rpc.respond(observer, () -> {
            IssuedDirectorySecret issued = directories.createSecret(env(),
                    required("organization_id", request.getOrganizationId()), required("directory_id", request.getDirectoryId()));
            RestStatus.markCreated();
            return CreateDirectorySecretResponse.newBuilder().setPlainSecret(issued.plainSecret())
                    .setSecret(toProto(issued.secret(), Instant.now())).build();
        });
    }

    @Override
    public void regenerateDirectorySecret(RegenerateDirectorySecretRequest request,
                                          StreamObserver<RegenerateDirectorySecretResponse> observer) {
        Rpc.respond(observer, () -> {
            IssuedDirectorySecret issued = directories.regenerateSecret(env(),
                    required("organization_id", request.getOrganizationId()), required("directory_id", request.getDirectoryId()));
            return RegenerateDirectorySecretResponse.newBuilder().setPlainSecret(issued.plainSecret())
                    .setSecret(toProto(issued.secret(), Instant.now())).build();
        });
    }

    @Override
    public void assignRoles(AssignRolesRequest request, StreamObserver<AssignRolesResponse> observer) {
        Rpc.respond(observer, () -> {
            List<RoleAssignment> assignments = request.getRoleAssignments().getAssignmentsList().stream()
                    .map(a -> new RoleAssignment(a.getGroupId(), a.getRoleName())).toList();
            List<RoleAssignment> saved = directories.assignRoles(env(),
                    required("organization_id", request.getOrganizationId()), required("id", request.getId()), assignments);
            return AssignRolesResponse.newBuilder().setRoleAssignments(roles(saved)).build();
        });
    }

    @Override
    public void listDirectoryUsers(ListDirectoryUsersRequest request, StreamObserver<ListDirectoryUsersResponse> observer) {
        Rpc.respond(observer, () -> {
            String org = required("organization_id", request.getOrganizationId());
            String dir = required("directory_id", request.getDirectoryId());
            Directory directory = directories.get(env(), org, dir);
            Page<DirectoryUser> page = directories.listUsers(env(), org, dir, pageRequest(request.getPageSize(), request.getPageToken()),
                    request.hasDirectoryGroupId() ? Optional.of(request.getDirectoryGroupId()) : Optional.empty(),
                    request.hasUpdatedAfter() ? Optional.of(instant(request.getUpdatedAfter())) : Optional.empty());
            boolean detail = request.hasIncludeDetail() && request.getIncludeDetail();
            var response = ListDirectoryUsersResponse.newBuilder()
                    .setTotalSize(PageTokens.totalSize(page))
                    .setNextPageToken(PageTokens.encode(page.next()))
                    .setPrevPageToken(PageTokens.encode(page.previous()));
            for (DirectoryUser u : page.items()) {
                var user = dev.gatehouse.proto.directories.DirectoryUser.newBuilder()
                        .setId(u.id())
                        .setEmail(u.email().orElse(""))
                        .setPreferredUsername(u.userName())
                        .setGivenName(u.givenName().orElse(""))
                        .setFamilyName(u.familyName().orElse(""))
                        .setUpdatedAt(timestamp(u.updateTime()));
                u.email().ifPresent(user::addEmails);
                for (DirectoryGroup g : directories.groupsOfUser(directory, u.id())) {
                    user.addGroups(dev.gatehouse.proto.directories.DirectoryGroup.newBuilder()
                            .setId(g.id()).setDisplayName(g.displayName()).setUpdatedAt(timestamp(g.updateTime())));
                }
                if (detail) {
                    user.setUserDetail(struct(u.resourceJson()));
                }
                response.addUsers(user);
            }
            return response.build();
        });
    }

    @Override
    public void listDirectoryGroups(ListDirectoryGroupsRequest request, StreamObserver<ListDirectoryGroupsResponse> observer) {
        Rpc.respond(observer, () -> {
            String org = required("organization_id", request.getOrganizationId());
            String dir = required("directory_id", request.getDirectoryId());
            Directory directory = directories.get(env(), org, dir);
            Page<DirectoryGroup> page = directories.listGroups(env(), org, dir,
                    pageRequest(request.getPageSize(), request.getPageToken()),
                    request.hasUpdatedAfter() ? Optional.of(instant(request.getUpdatedAfter())) : Optional.empty());
            boolean detail = request.hasIncludeDetail() && request.getIncludeDetail();
            var response = ListDirectoryGroupsResponse.newBuilder()
                    .setTotalSize(PageTokens.totalSize(page))
                    .setNextPageToken(PageTokens.encode(page.next()))
                    .setPrevPageToken(PageTokens.encode(page.previous()));
            for (DirectoryGroup g : page.items()) {
                var group = dev.gatehouse.proto.directories.DirectoryGroup.newBuilder()
                        .setId(g.id()).setDisplayName(g.displayName())
                        .setTotalUsers(directories.countMembers(directory, g.id()))
                        .setUpdatedAt(timestamp(g.updateTime()));
                if (detail) {
                    group.setGroupDetail(struct(g.resourceJson()));
                }
                response.addGroups(group);
            }
            return response.build();
        });
    }

    private dev.gatehouse.proto.directories.Directory toProto(Directory d) {
        Instant now = Instant.now();
        int users = directories.countUsers(d);
        int groups = directories.countGroups(d);
        var proto = dev.gatehouse.proto.directories.Directory.newBuilder()
                .setId(d.id())
                .setName(d.name())
                .setDirectoryType(switch (d.type()) {
                    case SCIM -> dev.gatehouse.proto.directories.DirectoryType.SCIM;
                    case LDAP -> dev.gatehouse.proto.directories.DirectoryType.LDAP;
                    case POLL -> dev.gatehouse.proto.directories.DirectoryType.POLL;
                })
                .setOrganizationId(d.organizationId())
                .setEnabled(d.enabled())
                .setDirectoryProvider(d.provider() == DirectoryProvider.GENERIC
                        ? dev.gatehouse.proto.directories.DirectoryProvider.DIRECTORY_PROVIDER_UNSPECIFIED
                        : dev.gatehouse.proto.directories.DirectoryProvider.valueOf(d.provider().name()))
                .setDirectoryEndpoint(d.scimEndpoint(Caller.current().environment().issuerUrl()))
                .setTotalUsers(users)
                .setTotalGroups(groups)
                .setStats(Stats.newBuilder().setTotalUsers(users).setTotalGroups(groups))
                .setRoleAssignments(roles(directories.roleAssignments(d.environmentId(), d.organizationId(), d.id())))
                .setStatus(d.enabled() ? "COMPLETED" : "IN_PROGRESS")
                .setGroupsTracked("ALL");
        d.lastSyncedAt().ifPresent(t -> proto.setLastSyncedAt(timestamp(t)));
        for (DirectorySecret s : directories.secrets(d.id())) {
            proto.addSecrets(toProto(s, now));
        }
        return proto.build();
    }

    private static Secret toProto(DirectorySecret s, Instant now) {
        var secret = Secret.newBuilder().setId(s.id()).setDirectoryId(s.directoryId())
                .setCreateTime(timestamp(s.createTime())).setSecretSuffix(s.suffix())
                .setStatus(s.isValidAt(now) ? SecretStatus.ACTIVE : SecretStatus.INACTIVE);
        s.expireTime().ifPresent(t -> secret.setExpireTime(timestamp(t)));
        s.lastUsedTime().ifPresent(t -> secret.setLastUsedTime(timestamp(t)));
        return secret.build();
    }

    private static RoleAssignments roles(List<RoleAssignment> assignments) {
        var roles = RoleAssignments.newBuilder();
        assignments.forEach(a -> roles.addAssignments(
                dev.gatehouse.proto.directories.RoleAssignment.newBuilder().setGroupId(a.groupId()).setRoleName(a.roleName())));
        return roles.build();
    }

    private static DirectoryProvider provider(dev.gatehouse.proto.directories.DirectoryProvider proto) {
        return switch (proto) {
            case DIRECTORY_PROVIDER_UNSPECIFIED -> DirectoryProvider.GENERIC;
            case UNRECOGNIZED -> throw RpcErrors.invalidArgument("directory.directory_provider",
                    "unknown directory_provider", "enum.defined_only");
            case MICROSOFT_AD -> DirectoryProvider.MICROSOFT_AD; // also AZURE_AD, its alias
            default -> DirectoryProvider.valueOf(proto.name());
        };
    }

    private static PageRequest pageRequest(int pageSize, String pageToken) {
        return PageTokens.pageRequest(pageSize, pageToken, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    }

    private static String required(String field, String value) {
        return RpcErrors.requiredText(field, value, 32);
    }

    private static String env() {
        return Caller.current().environmentId();
    }

    private static Struct struct(String json) {
        Struct.Builder builder = Struct.newBuilder();
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(json, builder);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored SCIM resource is not a JSON object", e);
        }
        return builder.build();
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}
