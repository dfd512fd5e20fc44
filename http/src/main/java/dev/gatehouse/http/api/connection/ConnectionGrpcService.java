package dev.gatehouse.http.api.connection;

import com.google.protobuf.Empty;
import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.connection.ConnectionFilter;
import dev.gatehouse.core.connection.ConnectionProvider;
import dev.gatehouse.core.connection.ConnectionService;
import dev.gatehouse.core.connection.ConnectionStatus;
import dev.gatehouse.core.connection.ConnectionTests;
import dev.gatehouse.core.connection.Domain;
import dev.gatehouse.core.connection.NewConnection;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import dev.gatehouse.http.api.Caller;
import dev.gatehouse.http.api.PageTokens;
import dev.gatehouse.http.api.RestStatus;
import dev.gatehouse.http.api.Rpc;
import dev.gatehouse.http.api.RpcErrors;
import dev.gatehouse.proto.connections.*;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code scalekit.v1.connections.ConnectionService}, served as gRPC and (transcoded) REST. The {@code …Environment…}
 * RPCs address a connection by ID anywhere in the environment, the others within the named organization.
 * Not implemented (UNIMPLEMENTED, D-CN1): CreateEnvironmentConnection (environment-level connections are the
 * social logins' work) and ListAppConnections (agent app connections). GetConnectionTestResult reports the admin
 * portal's connection tests (D-CT1).
 */
public final class ConnectionGrpcService extends ConnectionServiceGrpc.ConnectionServiceImplBase {
    static final int DEFAULT_PAGE_SIZE = 10;
    static final int MAX_PAGE_SIZE = 30;

    private final ConnectionService connections;
    private final ConnectionTests connectionTests;

    public ConnectionGrpcService(ConnectionService connections, ConnectionTests connectionTests) {
        this.connections = connections;
        this.connectionTests = connectionTests;
    }

    @Override
    public void createConnection(CreateConnectionRequest request, StreamObserver<CreateConnectionResponse> observer) {
        Rpc.respond(observer, () -> {
            String org = required("organization_id", request.getOrganizationId());
            if (!request.hasConnection()) {
                throw RpcErrors.invalidArgument("connection", "connection is required", "required");
            }
            var create = request.getConnection();
            Connection created = connections.create(env(), org, new NewConnection(
                    ConnectionMessages.type(create.getType(), "connection.type"),
                    ConnectionMessages.provider(create.getProvider(), "connection.provider")));
            RestStatus.markCreated();
            return CreateConnectionResponse.newBuilder().setConnection(full(created)).build();
        });
    }

    @Override
    public void createEnvironmentConnection(CreateEnvironmentConnectionRequest request,
                                            StreamObserver<CreateConnectionResponse> observer) {
        Rpc.respond(observer, () -> {
            throw RpcErrors.unimplemented("environment-level connections are not supported; create the connection "
                    + "in an organization (POST /api/v1/organizations/{organization_id}/connections)");
        });
    }

    @Override
    public void getConnection(GetConnectionRequest request, StreamObserver<GetConnectionResponse> observer) {
        Rpc.respond(observer, () -> GetConnectionResponse.newBuilder().setConnection(full(connections.get(env(),
                Optional.of(required("organization_id", request.getOrganizationId())), required("id", request.getId())))).build());
    }

    @Override
    public void getEnvironmentConnection(GetEnvironmentConnectionRequest request, StreamObserver<GetConnectionResponse> observer) {
        Rpc.respond(observer, () -> GetConnectionResponse.newBuilder().setConnection(full(connections.get(env(),
                Optional.empty(), required("connection_id", request.getConnectionId())))).build());
    }

    /**
     * By organization (all of its connections), by domain (the connections a login of that domain may use: only
     * active ones unless {@code include=all}), or the whole environment (the first {@value ConnectionService#MAX_UNPAGED};
     * ListOrganizationConnections pages through all).
     */
    @Override
    public void listConnections(ListConnectionsRequest request, StreamObserver<ListConnectionsResponse> observer) {
        Rpc.respond(observer, () -> {
            String include = request.hasInclude() ? request.getInclude().strip().toLowerCase(Locale.ROOT) : "";
            if (!include.isEmpty() && !include.equals("all")) {
                throw RpcErrors.invalidArgument("include", "include must be empty or 'all'", "string.in");
            }
            Optional<String> org = request.hasOrganizationId() && !request.getOrganizationId().isEmpty()
                    ? Optional.of(required("organization_id", request.getOrganizationId())) : Optional.empty();
            Optional<String> domain = request.hasDomain() && !request.getDomain().isEmpty()
                    ? Optional.of(request.getDomain()) : Optional.empty();
            List<Connection> list;
            if (domain.isPresent()) {
                list = connections.listByDomain(env(), domain.get(), include.equals("all")).stream()
                        .filter(c -> org.map(c.organizationId()::equals).orElse(true)).toList();
            } else if (org.isPresent()) {
                list = connections.listByOrganization(env(), org.get());
            } else {
                list = connections.listAll(env());
            }
            var response = ListConnectionsResponse.newBuilder();
            listed(list).forEach(response::addConnections);
            return response.build();
        });
    }

    @Override
    public void listOrganizationConnections(ListOrganizationConnectionsRequest request,
                                            StreamObserver<ListOrganizationConnectionsResponse> observer) {
        Rpc.respond(observer, () -> {
            Page<Connection> page = connections.page(env(), ConnectionFilter.ALL, pageRequest(request.getPageSize(), request.getPageToken()));
            return ListOrganizationConnectionsResponse.newBuilder()
                    .setNextPageToken(PageTokens.encode(page.next()))
                    .setPrevPageToken(PageTokens.encode(page.previous()))
                    .setTotalSize(PageTokens.totalSize(page))
                    .addAllConnections(listed(page.items()))
                    .build();
        });
    }

    @Override
    public void searchOrganizationConnections(SearchOrganizationConnectionsRequest request,
                                              StreamObserver<SearchOrganizationConnectionsResponse> observer) {
        Rpc.respond(observer, () -> {
            Optional<ConnectionProvider> provider = request.hasProvider() && !request.getProvider().isBlank()
                    ? Optional.of(ConnectionProvider.fromWire(request.getProvider().strip().toUpperCase(Locale.ROOT))
                            .orElseThrow(() -> RpcErrors.invalidArgument("provider", "unknown provider", "string.in")))
                    : Optional.empty();
            Optional<ConnectionStatus> status = request.hasStatus()
                    && request.getStatus() != dev.gatehouse.proto.connections.ConnectionStatus.CONNECTION_STATUS_UNSPECIFIED
                    ? Optional.of(statusOf(request.getStatus())) : Optional.empty();
            Optional<dev.gatehouse.core.connection.ConnectionType> type = request.hasConnectionType()
                    && request.getConnectionType() != dev.gatehouse.proto.connections.ConnectionType.INVALID
                    ? Optional.of(ConnectionMessages.type(request.getConnectionType(), "connection_type")) : Optional.empty();
            Page<Connection> page = connections.page(env(), new ConnectionFilter(
                            request.hasQuery() ? Optional.of(request.getQuery()) : Optional.empty(), provider, status, type,
                            request.hasEnabled() ? Optional.of(request.getEnabled()) : Optional.empty()),
                    pageRequest(request.getPageSize(), request.getPageToken()));
            return SearchOrganizationConnectionsResponse.newBuilder()
                    .setNextPageToken(PageTokens.encode(page.next()))
                    .setPrevPageToken(PageTokens.encode(page.previous()))
                    .setTotalSize(PageTokens.totalSize(page))
                    .addAllConnections(listed(page.items()))
                    .build();
        });
    }

    @Override
    public void updateConnection(UpdateConnectionRequest request, StreamObserver<UpdateConnectionResponse> observer) {
        Rpc.respond(observer, () -> update(Optional.of(required("organization_id", request.getOrganizationId())),
                required("id", request.getId()), request.hasConnection(), request.getConnection()));
    }

    @Override
    public void updateEnvironmentConnection(UpdateEnvironmentConnectionRequest request,
                                            StreamObserver<UpdateConnectionResponse> observer) {
        Rpc.respond(observer, () -> update(Optional.empty(), required("connection_id", request.getConnectionId()),
                request.hasConnection(), request.getConnection()));
    }

    private UpdateConnectionResponse update(Optional<String> org, String id, boolean present, UpdateConnection body) {
        if (!present) {
            throw RpcErrors.invalidArgument("connection", "connection is required", "required");
        }
        Connection updated = connections.update(env(), org, id, ConnectionMessages.toPatch(body));
        return UpdateConnectionResponse.newBuilder().setConnection(full(updated)).build();
    }

    @Override
    public void deleteConnection(DeleteConnectionRequest request, StreamObserver<Empty> observer) {
        Rpc.respond(observer, () -> {
            connections.delete(env(), Optional.of(required("organization_id", request.getOrganizationId())),
                    required("id", request.getId()));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void deleteEnvironmentConnection(DeleteEnvironmentConnectionRequest request, StreamObserver<Empty> observer) {
        Rpc.respond(observer, () -> {
            connections.delete(env(), Optional.empty(), required("connection_id", request.getConnectionId()));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void enableConnection(ToggleConnectionRequest request, StreamObserver<ToggleConnectionResponse> observer) {
        Rpc.respond(observer, () -> toggle(Optional.of(required("organization_id", request.getOrganizationId())),
                required("id", request.getId()), true));
    }

    @Override
    public void disableConnection(ToggleConnectionRequest request, StreamObserver<ToggleConnectionResponse> observer) {
        Rpc.respond(observer, () -> toggle(Optional.of(required("organization_id", request.getOrganizationId())),
                required("id", request.getId()), false));
    }

    @Override
    public void enableEnvironmentConnection(ToggleEnvironmentConnectionRequest request,
                                            StreamObserver<ToggleConnectionResponse> observer) {
        Rpc.respond(observer, () -> toggle(Optional.empty(), required("connection_id", request.getConnectionId()), true));
    }

    @Override
    public void disableEnvironmentConnection(ToggleEnvironmentConnectionRequest request,
                                             StreamObserver<ToggleConnectionResponse> observer) {
        Rpc.respond(observer, () -> toggle(Optional.empty(), required("connection_id", request.getConnectionId()), false));
    }

    private ToggleConnectionResponse toggle(Optional<String> org, String id, boolean enabled) {
        ConnectionService.Toggle result = connections.setEnabled(env(), org, id, enabled);
        var response = ToggleConnectionResponse.newBuilder().setEnabled(result.enabled());
        result.errorMessage().ifPresent(response::setErrorMessage);
        return response.build();
    }

    @Override
    public void assignDomainsToConnection(AssignDomainsToConnectionRequest request,
                                          StreamObserver<AssignDomainsToConnectionResponse> observer) {
        Rpc.respond(observer, () -> {
            List<String> ids = request.getDomainIdsList();
            ids.forEach(id -> required("domain_ids", id));
            Connection connection = connections.assignDomains(env(), required("organization_id", request.getOrganizationId()),
                    required("connection_id", request.getConnectionId()), ids);
            return AssignDomainsToConnectionResponse.newBuilder().setConnection(full(connection)).build();
        });
    }

    @Override
    public void getConnectionTestResult(GetConnectionTestResultRequest request,
                                        StreamObserver<GetConnectionTestResultResponse> observer) {
        Rpc.respond(observer, () -> {
            String connectionId = required("connection_id", request.getConnectionId());
            String testId = RpcErrors.requiredText("test_request_id", request.getTestRequestId(), 40);
            if (!IdPrefix.CONNECTION_TEST.matches(testId)) {
                throw RpcErrors.invalidArgument("test_request_id", "test_request_id must start with "
                        + IdPrefix.CONNECTION_TEST.wire(), "string.prefix");
            }
            return ConnectionTestResults.response(connectionTests.result(env(), connectionId, testId));
        });
    }

    @Override
    public void listAppConnections(ListAppConnectionsRequest request, StreamObserver<ListAppConnectionsResponse> observer) {
        Rpc.respond(observer, () -> {
            throw RpcErrors.unimplemented("app connections are not supported");
        });
    }

    // ------------------------------------------------------------------ helpers

    private dev.gatehouse.proto.connections.Connection full(Connection connection) {
        List<Domain> domains = connections.domainsOf(env(), List.of(connection)).get(connection.id());
        return ConnectionMessages.toProto(connection, domains, Caller.current().environment().issuerUrl());
    }

    private List<ListConnection> listed(List<Connection> list) {
        Map<String, List<Domain>> domains = connections.domainsOf(env(), list);
        Map<String, String> names = connections.organizationNames(env(), list.stream().map(Connection::organizationId).toList());
        return list.stream().map(c -> ConnectionMessages.toList(c, domains.get(c.id()),
                names.getOrDefault(c.organizationId(), ""))).toList();
    }

    private static ConnectionStatus statusOf(dev.gatehouse.proto.connections.ConnectionStatus status) {
        return switch (status) {
            case DRAFT -> ConnectionStatus.DRAFT;
            case IN_PROGRESS -> ConnectionStatus.IN_PROGRESS;
            case COMPLETED -> ConnectionStatus.COMPLETED;
            default -> throw RpcErrors.invalidArgument("status", "unknown status", "enum.defined_only");
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
}
