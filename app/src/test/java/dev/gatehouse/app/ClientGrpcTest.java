package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.BoolValue;
import com.google.protobuf.FieldMask;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.proto.clients.ClientSecretStatus;
import dev.gatehouse.proto.clients.ClientServiceGrpc.ClientServiceBlockingStub;
import dev.gatehouse.proto.clients.CreateClient;
import dev.gatehouse.proto.clients.CreateClientRequest;
import dev.gatehouse.proto.clients.CreateOrganizationClientRequest;
import dev.gatehouse.proto.clients.CreateOrganizationClientSecretRequest;
import dev.gatehouse.proto.clients.CustomClaim;
import dev.gatehouse.proto.clients.DeleteOrganizationClientRequest;
import dev.gatehouse.proto.clients.DeleteOrganizationClientSecretRequest;
import dev.gatehouse.proto.clients.GetClientRequest;
import dev.gatehouse.proto.clients.GetOrganizationClientRequest;
import dev.gatehouse.proto.clients.ListClientsRequest;
import dev.gatehouse.proto.clients.ListOrganizationClientsRequest;
import dev.gatehouse.proto.clients.M2MClient;
import dev.gatehouse.proto.clients.OrganizationClient;
import dev.gatehouse.proto.clients.UpdateClient;
import dev.gatehouse.proto.clients.UpdateClientRequest;
import dev.gatehouse.proto.clients.UpdateClientSecret;
import dev.gatehouse.proto.clients.UpdateClientSecretRequest;
import dev.gatehouse.proto.clients.UpdateOrganizationClientRequest;
import dev.gatehouse.proto.errdetails.ErrorInfo;
import io.grpc.Status;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ClientService over gRPC (h2c), as the official SDK calls it: the same behaviour as over REST. */
class ClientGrpcTest {
    static TestGatehouse gatehouse;
    static ClientFactory factory;
    static ClientServiceBlockingStub clients;
    static TestGatehouse.TestEnvironment other;
    static ClientServiceBlockingStub otherClients;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
        factory = ClientFactory.builder().build();
        clients = stub(gatehouse.accessToken());
        other = gatehouse.createIsolatedEnvironment();
        otherClients = stub(gatehouse.accessToken(other));
    }

    @AfterAll
    static void stop() {
        if (factory != null) {
            factory.close();
        }
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    static ClientServiceBlockingStub stub(String token) {
        var builder = GrpcClients.builder("h2c://127.0.0.1:" + gatehouse.port()).factory(factory).responseTimeoutMillis(30_000);
        if (token != null) {
            builder.addHeader("authorization", "Bearer " + token);
        }
        return builder.build(ClientServiceBlockingStub.class);
    }

    static String organization() {
        return gatehouse.seedOrganization(gatehouse.environmentId(), "Acme " + UUID.randomUUID(), null).id();
    }

    @Test
    void organizationClientWhenManagedOverGrpcThenCrudSecretsAndTokensWork() throws Exception {
        String org = organization();
        var created = clients.createOrganizationClient(CreateOrganizationClientRequest.newBuilder().setOrganizationId(org)
                .setClient(OrganizationClient.newBuilder().setName("svc").addScopes("read:things").addAudience("https://api.test")
                        .addCustomClaims(CustomClaim.newBuilder().setKey("tier").setValue("gold")))
                .build());
        M2MClient client = created.getClient();
        assertThat(client.getExpiry()).isEqualTo(3600);
        assertThat(created.getPlainSecret()).startsWith("gsk_");

        var fetched = clients.getOrganizationClient(GetOrganizationClientRequest.newBuilder().setOrganizationId(org)
                .setClientId(client.getClientId()).build()).getClient();
        assertThat(fetched).isEqualTo(client);
        var updated = clients.updateOrganizationClient(UpdateOrganizationClientRequest.newBuilder().setOrganizationId(org)
                .setClientId(client.getClientId()).setClient(OrganizationClient.newBuilder().setExpiry(600)).build()).getClient();
        assertThat(updated.getExpiry()).isEqualTo(600);
        assertThat(updated.getName()).isEqualTo("svc");
        assertThat(clients.listOrganizationClients(ListOrganizationClientsRequest.newBuilder().setOrganizationId(org).build())
                .getClientsList()).extracting(M2MClient::getClientId).containsExactly(client.getClientId());

        String token = gatehouse.accessToken(client.getClientId(), created.getPlainSecret());
        var claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(claims.getStringClaim("oid")).isEqualTo(org);
        assertThat(claims.getStringClaim("tier")).isEqualTo("gold");
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(600_000);

        var secret = clients.createOrganizationClientSecret(CreateOrganizationClientSecretRequest.newBuilder()
                .setOrganizationId(org).setClientId(client.getClientId()).build());
        assertThat(gatehouse.accessToken(client.getClientId(), secret.getPlainSecret())).isNotBlank();
        clients.deleteOrganizationClientSecret(DeleteOrganizationClientSecretRequest.newBuilder().setOrganizationId(org)
                .setClientId(client.getClientId()).setSecretId(secret.getSecret().getId()).build());
        clients.deleteOrganizationClient(DeleteOrganizationClientRequest.newBuilder().setOrganizationId(org)
                .setClientId(client.getClientId()).build());
        var gone = OrganizationGrpcTest.failure(() -> clients.getOrganizationClient(GetOrganizationClientRequest.newBuilder()
                .setOrganizationId(org).setClientId(client.getClientId()).build()));
        OrganizationGrpcTest.errorInfo(gone, Status.Code.NOT_FOUND);
    }

    @Test
    void organizationClientWhenOtherEnvironmentAsksThenNotFound() {
        String org = organization();
        var created = clients.createOrganizationClient(CreateOrganizationClientRequest.newBuilder().setOrganizationId(org)
                .setClient(OrganizationClient.newBuilder().setName("svc")).build());
        var refused = OrganizationGrpcTest.failure(() -> otherClients.getOrganizationClient(GetOrganizationClientRequest
                .newBuilder().setOrganizationId(org).setClientId(created.getClient().getClientId()).build()));
        OrganizationGrpcTest.errorInfo(refused, Status.Code.NOT_FOUND);
        var listed = OrganizationGrpcTest.failure(() -> otherClients.listOrganizationClients(
                ListOrganizationClientsRequest.newBuilder().setOrganizationId(org).build()));
        OrganizationGrpcTest.errorInfo(listed, Status.Code.NOT_FOUND);
        var getClient = OrganizationGrpcTest.failure(() -> otherClients.getClient(GetClientRequest.newBuilder()
                .setClientId(TestGatehouse.CLIENT_ID).build()));
        OrganizationGrpcTest.errorInfo(getClient, Status.Code.NOT_FOUND);
    }

    @Test
    void updateClientWhenRedirectUriBadThenInvalidArgumentWithCodeInFieldViolation() {
        var failure = OrganizationGrpcTest.failure(() -> clients.updateClient(UpdateClientRequest.newBuilder()
                .setClientId(TestGatehouse.CLIENT_ID)
                .setClient(UpdateClient.newBuilder().addRedirectUris("https://app.example.com/cb?x=1")).build()));
        ErrorInfo info = OrganizationGrpcTest.errorInfo(failure, Status.Code.INVALID_ARGUMENT);
        var violation = info.getValidationErrorInfo().getFieldViolations(0);
        assertThat(violation.getField()).isEqualTo("client.redirect_uris[0]");
        assertThat(violation.getConstraint()).isEqualTo("query_parameters_not_allowed");
        assertThat(violation.getDescription()).startsWith("query_parameters_not_allowed: ");
    }

    @Test
    void environmentClientWhenUpdatedOverGrpcThenPartialAndMaskClears() {
        var created = clients.createClient(CreateClientRequest.newBuilder().setClient(CreateClient.newBuilder()
                .setName("spa").setClientType("SPA").setEnforcePkce(BoolValue.of(true))).build()).getClient();
        assertThat(created.getSecrets(0).getPlainSecret()).startsWith("gsk_");
        assertThat(created.getEnforcePkce()).isTrue();
        String id = created.getId();

        var withUris = clients.updateClient(UpdateClientRequest.newBuilder().setClientId(id).setClient(UpdateClient.newBuilder()
                .addRedirectUris("http://localhost:5173/callback").setDefaultRedirectUri("http://localhost:5173/callback")
                .addPostLogoutRedirectUris("http://localhost:5173/")).build()).getClient();
        assertThat(withUris.getRedirectUrisList()).containsExactly("http://localhost:5173/callback");
        assertThat(withUris.getEnforcePkce()).isTrue();
        assertThat(withUris.getName()).isEqualTo("spa");

        var renamed = clients.updateClient(UpdateClientRequest.newBuilder().setClientId(id)
                .setClient(UpdateClient.newBuilder().setName("spa 2")).build()).getClient();
        assertThat(renamed.getRedirectUrisList()).containsExactly("http://localhost:5173/callback");
        assertThat(renamed.getSecretsList()).allSatisfy(s -> assertThat(s.hasPlainSecret()).isFalse());

        var cleared = clients.updateClient(UpdateClientRequest.newBuilder().setClientId(id)
                .setClient(UpdateClient.newBuilder().setDefaultRedirectUri(""))
                .setMask(FieldMask.newBuilder().addPaths("redirect_uris").addPaths("post_logout_redirect_uris")).build())
                .getClient();
        assertThat(cleared.getRedirectUrisList()).isEmpty();
        assertThat(cleared.getPostLogoutRedirectUrisList()).isEmpty();
        assertThat(cleared.getDefaultRedirectUri()).isEmpty();

        var secret = clients.updateClientSecret(UpdateClientSecretRequest.newBuilder().setClientId(id)
                .setSecretId(created.getSecrets(0).getId())
                .setSecret(UpdateClientSecret.newBuilder().setStatus(ClientSecretStatus.INACTIVE)).build()).getSecret();
        assertThat(secret.getStatus()).isEqualTo(ClientSecretStatus.INACTIVE);
        assertThat(gatehouse.postForm("/oauth/token", Map.of("grant_type", "client_credentials", "client_id", id,
                "client_secret", created.getSecrets(0).getPlainSecret()), Map.of()).status()).isEqualTo(401);
        assertThat(clients.listClient(ListClientsRequest.newBuilder()
                .setFilter(ListClientsRequest.Filter.newBuilder().addClientType("SPA")).build()).getClientsList())
                .extracting(c -> c.getId()).containsExactly(id);
        assertThat(List.of(clients.getClient(GetClientRequest.newBuilder().setClientId(id).build()).getClient().getName()))
                .containsExactly("spa 2");
    }
}
