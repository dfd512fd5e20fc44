package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.BoolValue;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StringValue;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.gatehouse.core.testing.TestCertificates;
import dev.gatehouse.proto.connections.AssignDomainsToConnectionRequest;
import dev.gatehouse.proto.connections.Connection;
import dev.gatehouse.proto.connections.ConnectionProvider;
import dev.gatehouse.proto.connections.ConnectionServiceGrpc.ConnectionServiceBlockingStub;
import dev.gatehouse.proto.connections.ConnectionStatus;
import dev.gatehouse.proto.connections.ConnectionType;
import dev.gatehouse.proto.connections.CreateConnection;
import dev.gatehouse.proto.connections.CreateConnectionRequest;
import dev.gatehouse.proto.connections.DeleteEnvironmentConnectionRequest;
import dev.gatehouse.proto.connections.GetConnectionRequest;
import dev.gatehouse.proto.connections.GetEnvironmentConnectionRequest;
import dev.gatehouse.proto.connections.ListConnectionsRequest;
import dev.gatehouse.proto.connections.OIDCConnectionConfig;
import dev.gatehouse.proto.connections.OIDCScope;
import dev.gatehouse.proto.connections.SAMLConnectionConfigRequest;
import dev.gatehouse.proto.connections.ToggleConnectionRequest;
import dev.gatehouse.proto.connections.ToggleEnvironmentConnectionRequest;
import dev.gatehouse.proto.connections.UpdateConnection;
import dev.gatehouse.proto.connections.UpdateConnectionRequest;
import dev.gatehouse.proto.domains.CreateDomain;
import dev.gatehouse.proto.domains.CreateDomainRequest;
import dev.gatehouse.proto.domains.DomainServiceGrpc.DomainServiceBlockingStub;
import dev.gatehouse.proto.domains.DomainType;
import dev.gatehouse.proto.domains.GetDomainRequest;
import dev.gatehouse.proto.domains.ListDomainRequest;
import dev.gatehouse.proto.errdetails.ErrorInfo;
import dev.gatehouse.proto.organizations.CreateOrganization;
import dev.gatehouse.proto.organizations.CreateOrganizationRequest;
import dev.gatehouse.proto.organizations.OrganizationServiceGrpc.OrganizationServiceBlockingStub;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Connections and Domains APIs as gRPC over h2c (Armeria's client), as the official SDKs call them. */
class ConnectionGrpcTest {
    static TestGatehouse gatehouse;
    static ClientFactory clients;
    static String token;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
        clients = ClientFactory.builder().build();
        token = gatehouse.accessToken();
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

    static <T> T stub(Class<T> type, String token) {
        return GrpcClients.builder("h2c://127.0.0.1:" + gatehouse.port()).factory(clients).responseTimeoutMillis(30_000)
                .addHeader("authorization", "Bearer " + token).build(type);
    }

    static String organization(String token) {
        return stub(OrganizationServiceBlockingStub.class, token).createOrganization(CreateOrganizationRequest.newBuilder()
                .setOrganization(CreateOrganization.newBuilder().setDisplayName("Grpc " + UUID.randomUUID())).build())
                .getOrganization().getId();
    }

    static ErrorInfo errorInfo(StatusRuntimeException e) throws InvalidProtocolBufferException {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(status).isNotNull();
        assertThat(status.getDetailsList()).hasSize(1);
        return status.getDetails(0).unpack(ErrorInfo.class);
    }

    @Test
    void samlConnectionWhenCreatedConfiguredAssignedAndEnabledOverGrpcThenActive() throws Exception {
        ConnectionServiceBlockingStub connections = stub(ConnectionServiceBlockingStub.class, token);
        DomainServiceBlockingStub domains = stub(DomainServiceBlockingStub.class, token);
        String org = organization(token);
        Connection created = connections.createConnection(CreateConnectionRequest.newBuilder().setOrganizationId(org)
                .setConnection(CreateConnection.newBuilder().setType(ConnectionType.SAML).setProvider(ConnectionProvider.JUMPCLOUD))
                .build()).getConnection();
        assertThat(created.getStatus()).isEqualTo(ConnectionStatus.DRAFT);
        assertThat(created.getSamlConfig().getSpAssertionUrl()).endsWith("/sso/v1/saml/" + created.getId() + "/callback");

        Connection configured = connections.updateConnection(UpdateConnectionRequest.newBuilder().setOrganizationId(org)
                .setId(created.getId()).setConnection(UpdateConnection.newBuilder().setSamlConfig(SAMLConnectionConfigRequest.newBuilder()
                        .setIdpEntityId(StringValue.of("urn:idp:grpc")).setIdpSsoUrl(StringValue.of("https://idp.example.test/sso"))
                        .setIdpCertificate(StringValue.of(TestCertificates.body(TestCertificates.IDP_2)))
                        .setAllowIdpInitiatedLogin(BoolValue.of(true))))
                .build()).getConnection();
        assertThat(configured.getStatus()).isEqualTo(ConnectionStatus.COMPLETED);
        assertThat(configured.getSamlConfig().getIdpCertificatesList()).singleElement()
                .satisfies(c -> assertThat(c.getExpiryTime().getSeconds()).isPositive());
        assertThat(configured.getSamlConfig().getAllowIdpInitiatedLogin().getValue()).isTrue();

        String name = "grpc-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        var domain = domains.createDomain(CreateDomainRequest.newBuilder().setOrganizationId(org)
                .setDomain(CreateDomain.newBuilder().setDomain(name).setDomainType(DomainType.ORGANIZATION_DOMAIN)).build()).getDomain();
        assertThat(domains.getDomain(GetDomainRequest.newBuilder().setOrganizationId(org).setId(domain.getId()).build())
                .getDomain().getDomain()).isEqualTo(name);
        assertThat(domains.listDomains(ListDomainRequest.newBuilder().setOrganizationId(org).build()).getDomainsList()).hasSize(1);
        Connection assigned = connections.assignDomainsToConnection(AssignDomainsToConnectionRequest.newBuilder()
                .setOrganizationId(org).setConnectionId(created.getId()).addDomainIds(domain.getId()).build()).getConnection();
        assertThat(assigned.getDomainsList()).extracting(d -> d.getConnectionId()).containsExactly(created.getId());

        assertThat(connections.enableConnection(ToggleConnectionRequest.newBuilder().setOrganizationId(org)
                .setId(created.getId()).build()).getEnabled()).isTrue();
        assertThat(connections.listConnections(ListConnectionsRequest.newBuilder().setDomain(name).build()).getConnectionsList())
                .singleElement().satisfies(c -> {
                    assertThat(c.getId()).isEqualTo(created.getId());
                    assertThat(c.getEnabled()).isTrue();
                    assertThat(c.getDomainsList()).containsExactly(name);
                });
        assertThat(connections.disableEnvironmentConnection(ToggleEnvironmentConnectionRequest.newBuilder()
                .setConnectionId(created.getId()).build()).getEnabled()).isFalse();
        connections.deleteEnvironmentConnection(DeleteEnvironmentConnectionRequest.newBuilder().setConnectionId(created.getId()).build());
        StatusRuntimeException gone = catchThrowableOfType(StatusRuntimeException.class, () -> connections.getEnvironmentConnection(
                GetEnvironmentConnectionRequest.newBuilder().setConnectionId(created.getId()).build()));
        assertThat(gone.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(errorInfo(gone).getErrorCode()).isEqualTo("NOT_FOUND");
    }

    @Test
    void oidcClientSecretWhenSetOverGrpcThenAnswersCarryOnlyTheMask() {
        ConnectionServiceBlockingStub connections = stub(ConnectionServiceBlockingStub.class, token);
        String org = organization(token);
        String secret = "grpc-secret-" + UUID.randomUUID();
        String id = connections.createConnection(CreateConnectionRequest.newBuilder().setOrganizationId(org)
                .setConnection(CreateConnection.newBuilder().setType(ConnectionType.OIDC).setProvider(ConnectionProvider.AUTH0))
                .build()).getConnection().getId();
        Connection updated = connections.updateConnection(UpdateConnectionRequest.newBuilder().setOrganizationId(org).setId(id)
                .setConnection(UpdateConnection.newBuilder().setOidcConfig(OIDCConnectionConfig.newBuilder()
                        .setDiscoveryEndpoint(StringValue.of("https://idp.example.test/.well-known/openid-configuration"))
                        .setClientId(StringValue.of("app")).setClientSecret(StringValue.of(secret))
                        .addScopes(OIDCScope.openid).addScopes(OIDCScope.email)))
                .build()).getConnection();
        assertThat(updated.getStatus()).isEqualTo(ConnectionStatus.COMPLETED);
        assertThat(updated.getOidcConfig().getClientSecret().getValue()).isEqualTo("********");
        assertThat(updated.toString()).doesNotContain(secret);
        Connection fetched = connections.getConnection(GetConnectionRequest.newBuilder().setOrganizationId(org).setId(id).build())
                .getConnection();
        assertThat(fetched.toString()).doesNotContain(secret);
        assertThat(fetched.getOidcConfig().getScopesList()).containsExactly(OIDCScope.openid, OIDCScope.email);
    }

    @Test
    void badRequestsOverGrpcThenInvalidArgumentWithFieldViolations() throws Exception {
        ConnectionServiceBlockingStub connections = stub(ConnectionServiceBlockingStub.class, token);
        String org = organization(token);
        StatusRuntimeException social = catchThrowableOfType(StatusRuntimeException.class, () -> connections.createConnection(
                CreateConnectionRequest.newBuilder().setOrganizationId(org).setConnection(CreateConnection.newBuilder()
                        .setType(ConnectionType.OIDC).setProvider(ConnectionProvider.LINKEDIN)).build()));
        assertThat(social.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(errorInfo(social).getValidationErrorInfo().getFieldViolations(0).getField()).isEqualTo("connection.provider");

        String id = connections.createConnection(CreateConnectionRequest.newBuilder().setOrganizationId(org)
                .setConnection(CreateConnection.newBuilder().setType(ConnectionType.SAML)).build()).getConnection().getId();
        StatusRuntimeException draft = catchThrowableOfType(StatusRuntimeException.class, () -> connections.enableConnection(
                ToggleConnectionRequest.newBuilder().setOrganizationId(org).setId(id).build()));
        assertThat(draft.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(errorInfo(draft).getErrorCode()).isEqualTo("FAILED_PRECONDITION");

        String other = gatehouse.accessToken(gatehouse.createIsolatedEnvironment());
        StatusRuntimeException hidden = catchThrowableOfType(StatusRuntimeException.class, () ->
                stub(ConnectionServiceBlockingStub.class, other).getConnection(GetConnectionRequest.newBuilder()
                        .setOrganizationId(org).setId(id).build()));
        assertThat(hidden.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }
}
