package dev.gatehouse.http.api.client;

import com.google.protobuf.Empty;
import dev.gatehouse.core.client.AppClientService;
import dev.gatehouse.core.client.EnvironmentAppClient;
import dev.gatehouse.core.client.OrganizationClient;
import dev.gatehouse.core.client.OrganizationClientService;
import dev.gatehouse.core.credential.IssuedSecret;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import dev.gatehouse.http.api.Caller;
import dev.gatehouse.http.api.PageTokens;
import dev.gatehouse.http.api.RestStatus;
import dev.gatehouse.http.api.Rpc;
import dev.gatehouse.http.api.RpcErrors;
import dev.gatehouse.proto.clients.*;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Set;

/**
 * {@code scalekit.v1.clients.ClientService}: environment clients ({@code skc_…}, with their redirect URIs
 * and secrets) and organization M2M clients ({@code m2morg_…}), served as gRPC and (transcoded) REST.
 * The resource, scope and consent RPCs are not implemented (D-C1): gRPC answers UNIMPLEMENTED.
 */
public final class ClientGrpcService extends ClientServiceGrpc.ClientServiceImplBase {
    static final int DEFAULT_PAGE_SIZE = 10;
    static final int MAX_CLIENT_PAGE_SIZE = 30;
    static final int MAX_ORGANIZATION_CLIENT_PAGE_SIZE = 100;

    private final AppClientService appClients;
    private final OrganizationClientService organizationClients;

    public ClientGrpcService(AppClientService appClients, OrganizationClientService organizationClients) {
        this.appClients = appClients;
        this.organizationClients = organizationClients;
    }

    // ------------------------------------------------------------------ environment clients

    @Override
    public void listClient(ListClientsRequest request, StreamObserver<ListClientsResponse> observer) {
        Rpc.respond(observer, () -> {
            long requested = Integer.toUnsignedLong(request.getPageSize());
            if (requested > MAX_CLIENT_PAGE_SIZE) {
                throw RpcErrors.invalidArgument("page_size", "page_size must be at most 30", "uint32.lte");
            }
            int size = requested == 0 ? DEFAULT_PAGE_SIZE : (int) requested;
            Page<EnvironmentAppClient> page = appClients.list(Caller.current().environmentId(),
                    List.copyOf(request.getFilter().getClientTypeList()),
                    new PageRequest(size, PageTokens.decode(request.getPageToken())));
            var response = ListClientsResponse.newBuilder()
                    .setNextPageToken(PageTokens.encode(page.next()))
                    .setPrevPageToken(PageTokens.encode(page.previous()))
                    .setTotalSize(PageTokens.totalSize(page));
            page.items().forEach(c -> response.addClients(ClientMessages.toProto(c)));
            return response.build();
        });
    }

    @Override
    public void createClient(CreateClientRequest request, StreamObserver<CreateClientResponse> observer) {
        Rpc.respond(observer, () -> {
            if (!request.hasClient()) {
                throw RpcErrors.invalidArgument("client", "client is required", "required");
            }
            var created = appClients.create(Caller.current().environmentId(), ClientMessages.toNew(request.getClient()));
            Client.Builder client = ClientMessages.toProto(created.client()).toBuilder();
            // The plain secret, once: on the secret it belongs to.
            for (int i = 0; i < client.getSecretsCount(); i++) {
                if (client.getSecrets(i).getId().equals(created.secret().secret().id())) {
                    client.setSecrets(i, client.getSecrets(i).toBuilder().setPlainSecret(created.secret().plainSecret()));
                }
            }
            RestStatus.markCreated();
            return CreateClientResponse.newBuilder().setClient(client).build();
        });
    }

    @Override
    public void getClient(GetClientRequest request, StreamObserver<GetClientResponse> observer) {
        Rpc.respond(observer, () -> GetClientResponse.newBuilder()
                .setClient(ClientMessages.toProto(appClients.get(Caller.current().environmentId(),
                        ClientMessages.environmentClientId(request.getClientId()))))
                .build());
    }

    @Override
    public void updateClient(UpdateClientRequest request, StreamObserver<UpdateClientResponse> observer) {
        Rpc.respond(observer, () -> {
            String clientId = ClientMessages.environmentClientId(request.getClientId());
            if (!request.hasClient()) {
                throw RpcErrors.invalidArgument("client", "client is required", "required");
            }
            Set<String> mask = request.hasMask() ? Set.copyOf(request.getMask().getPathsList()) : Set.of();
            EnvironmentAppClient updated = appClients.update(Caller.current().environmentId(), clientId,
                    ClientMessages.toPatch(request.getClient(), mask));
            return UpdateClientResponse.newBuilder().setClient(ClientMessages.toProto(updated)).build();
        });
    }

    @Override
    public void deleteClient(DeleteClientRequest request, StreamObserver<Empty> observer) {
        Rpc.respond(observer, () -> {
            Caller caller = Caller.current();
            appClients.delete(caller.environmentId(), ClientMessages.environmentClientId(request.getClientId()),
                    caller.clientId());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void createClientSecret(CreateClientSecretRequest request, StreamObserver<CreateClientSecretResponse> observer) {
        Rpc.respond(observer, () -> {
            IssuedSecret issued = appClients.createSecret(Caller.current().environmentId(),
                    ClientMessages.environmentClientId(request.getClientId()));
            RestStatus.markCreated();
            return CreateClientSecretResponse.newBuilder()
                    .setPlainSecret(issued.plainSecret())
                    .setSecret(ClientMessages.secret(issued.secret()))
                    .build();
        });
    }

    @Override
    public void updateClientSecret(UpdateClientSecretRequest request, StreamObserver<UpdateClientSecretResponse> observer) {
        Rpc.respond(observer, () -> {
            String clientId = ClientMessages.environmentClientId(request.getClientId());
            String secretId = ClientMessages.secretId(request.getSecretId());
            if (!request.hasSecret()) {
                throw RpcErrors.invalidArgument("secret", "secret is required", "required");
            }
            var updated = appClients.updateSecret(Caller.current().environmentId(), clientId, secretId,
                    ClientMessages.status(request.getSecret().getStatus()));
            return UpdateClientSecretResponse.newBuilder().setSecret(ClientMessages.secret(updated)).build();
        });
    }

    @Override
    public void deleteClientSecret(DeleteClientSecretRequest request, StreamObserver<Empty> observer) {
        Rpc.respond(observer, () -> {
            appClients.deleteSecret(Caller.current().environmentId(),
                    ClientMessages.environmentClientId(request.getClientId()), ClientMessages.secretId(request.getSecretId()));
            return Empty.getDefaultInstance();
        });
    }

    // ------------------------------------------------------------------ organization clients

    @Override
    public void createOrganizationClient(CreateOrganizationClientRequest request,
                                         StreamObserver<CreateOrganizationClientResponse> observer) {
        Rpc.respond(observer, () -> {
            String organizationId = ClientMessages.organizationId(request.getOrganizationId());
            if (!request.hasClient()) {
                throw RpcErrors.invalidArgument("client", "client is required", "required");
            }
            var created = organizationClients.create(Caller.current().environmentId(), organizationId,
                    ClientMessages.toNew(request.getClient()));
            RestStatus.markCreated();
            return CreateOrganizationClientResponse.newBuilder()
                    .setClient(ClientMessages.toProto(created.client()))
                    .setPlainSecret(created.secret().plainSecret())
                    .build();
        });
    }

    @Override
    public void getOrganizationClient(GetOrganizationClientRequest request,
                                      StreamObserver<GetOrganizationClientResponse> observer) {
        Rpc.respond(observer, () -> GetOrganizationClientResponse.newBuilder()
                .setClient(ClientMessages.toProto(organizationClients.get(Caller.current().environmentId(),
                        ClientMessages.organizationId(request.getOrganizationId()),
                        ClientMessages.organizationClientId(request.getClientId()))))
                .build());
    }

    @Override
    public void listOrganizationClients(ListOrganizationClientsRequest request,
                                        StreamObserver<ListOrganizationClientsResponse> observer) {
        Rpc.respond(observer, () -> {
            String organizationId = ClientMessages.organizationId(request.getOrganizationId());
            long requested = Integer.toUnsignedLong(request.getPageSize());
            int size = requested == 0 ? DEFAULT_PAGE_SIZE : (int) Math.min(requested, MAX_ORGANIZATION_CLIENT_PAGE_SIZE);
            Page<OrganizationClient> page = organizationClients.list(Caller.current().environmentId(), organizationId,
                    new PageRequest(size, PageTokens.decode(request.getPageToken())));
            var response = ListOrganizationClientsResponse.newBuilder()
                    .setNextPageToken(PageTokens.encode(page.next()))
                    .setPrevPageToken(PageTokens.encode(page.previous()))
                    .setTotalSize(PageTokens.totalSize(page));
            page.items().forEach(c -> response.addClients(ClientMessages.toProto(c)));
            return response.build();
        });
    }

    @Override
    public void updateOrganizationClient(UpdateOrganizationClientRequest request,
                                         StreamObserver<UpdateOrganizationClientResponse> observer) {
        Rpc.respond(observer, () -> {
            String organizationId = ClientMessages.organizationId(request.getOrganizationId());
            String clientId = ClientMessages.organizationClientId(request.getClientId());
            if (!request.hasClient()) {
                throw RpcErrors.invalidArgument("client", "client is required", "required");
            }
            OrganizationClient updated = organizationClients.update(Caller.current().environmentId(), organizationId,
                    clientId, ClientMessages.toPatch(request.getClient()));
            return UpdateOrganizationClientResponse.newBuilder().setClient(ClientMessages.toProto(updated)).build();
        });
    }

    @Override
    public void deleteOrganizationClient(DeleteOrganizationClientRequest request, StreamObserver<Empty> observer) {
        Rpc.respond(observer, () -> {
            organizationClients.delete(Caller.current().environmentId(),
                    ClientMessages.organizationId(request.getOrganizationId()),
                    ClientMessages.organizationClientId(request.getClientId()));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void createOrganizationClientSecret(CreateOrganizationClientSecretRequest request,
                                               StreamObserver<CreateOrganizationClientSecretResponse> observer) {
        Rpc.respond(observer, () -> {
            IssuedSecret issued = organizationClients.createSecret(Caller.current().environmentId(),
                    ClientMessages.organizationId(request.getOrganizationId()),
                    ClientMessages.organizationClientId(request.getClientId()));
            RestStatus.markCreated();
            return CreateOrganizationClientSecretResponse.newBuilder()
                    .setPlainSecret(issued.plainSecret())
                    .setSecret(ClientMessages.secret(issued.secret()))
                    .build();
        });
    }

    @Override
    public void deleteOrganizationClientSecret(DeleteOrganizationClientSecretRequest request,
                                               StreamObserver<Empty> observer) {
        Rpc.respond(observer, () -> {
            organizationClients.deleteSecret(Caller.current().environmentId(),
                    ClientMessages.organizationId(request.getOrganizationId()),
                    ClientMessages.organizationClientId(request.getClientId()),
                    ClientMessages.secretId(request.getSecretId()));
            return Empty.getDefaultInstance();
        });
    }
}
