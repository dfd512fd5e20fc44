package dev.gatehouse.app;

import static dev.gatehouse.app.RpcStatusAssertions.assertInvalidArgument;
import static dev.gatehouse.app.RpcStatusAssertions.assertRpcStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Int32Value;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.gatehouse.core.organization.OrganizationFeature;
import dev.gatehouse.proto.commons.TimeUnit;
import dev.gatehouse.proto.errdetails.ErrorInfo;
import dev.gatehouse.proto.organizations.DeletePortalLinkByIdRequest;
import dev.gatehouse.proto.organizations.Feature;
import dev.gatehouse.proto.organizations.GeneratePortalLinkRequest;
import dev.gatehouse.proto.organizations.GetApplicationSessionPolicyRequest;
import dev.gatehouse.proto.organizations.GetOrganizationSessionPolicyRequest;
import dev.gatehouse.proto.organizations.GetPortalLinkRequest;
import dev.gatehouse.proto.organizations.Link;
import dev.gatehouse.proto.organizations.OrganizationServiceGrpc.OrganizationServiceBlockingStub;
import dev.gatehouse.proto.organizations.SessionPolicyType;
import dev.gatehouse.proto.organizations.UpdateOrganizationSessionPolicyRequest;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin portal links and session policies of the Organizations API (docs/DECISIONS.md D-AP1, D-AP6), over REST
 * and gRPC: shapes, validation (400 with field violations), unknown organizations and links (404), another
 * environment's organizations (404), and the link's key kept out of the audit log.
 */
class PortalLinkApiTest {
    private static TestGatehouse gatehouse;
    private static ClientFactory clients;
    private static OrganizationServiceBlockingStub grpc;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
        clients = ClientFactory.builder().build();
        grpc = GrpcClients.builder("h2c://127.0.0.1:" + gatehouse.port()).factory(clients).responseTimeoutMillis(30_000)
                .addHeader("authorization", "Bearer " + gatehouse.accessToken())
                .build(OrganizationServiceBlockingStub.class);
    }

    @AfterAll
    static void stop() {
        clients.close();
        gatehouse.close();
    }

    private static String organization() {
        return gatehouse.seedOrganization(gatehouse.environmentId(), "Portal " + UUID.randomUUID(), null).id();
    }

    private static String links(String organizationId) {
        return "/api/v1/organizations/" + organizationId + "/portal_links";
    }

    @Test
    void generateAnswersALinkOfSevenDaysWhoseLocationOpensThePortal() {
        String org = organization();
        Instant before = Instant.now();
        TestGatehouse.Response generated = gatehouse.send("PUT", links(org), gatehouse.accessToken(), null, null);
        assertThat(generated.status()).as(generated.toString()).isEqualTo(200);
        JsonNode link = generated.json().path("link");
        String id = link.path("id").asText();
        assertThat(id).matches("lnk_[0-9]+");
        assertThat(link.path("location").asText())
                .matches(java.util.regex.Pattern.quote(gatehouse.baseUrl() + "/portal/" + id + "?key=") + "[A-Za-z0-9_-]{43}");
        Instant expires = Instant.parse(link.path("expire_time").asText());
        assertThat(expires).isBetween(before.plus(Duration.ofDays(7)).minusSeconds(5), Instant.now().plus(Duration.ofDays(7)));
        assertThat(gatehouse.wiring.portalLinkRepository.find(gatehouse.environmentId(), id).orElseThrow().features())
                .as("no features asked: both").containsExactlyInAnyOrder(OrganizationFeature.SSO, OrganizationFeature.DIRECTORY_SYNC);

        TestGatehouse.Response page = gatehouse.get(link.path("location").asText().substring(gatehouse.baseUrl().length()), null);
        assertThat(page.status()).as("opening the link starts a portal session").isEqualTo(303);
        assertThat(page.header("set-cookie")).hasValueSatisfying(cookie -> assertThat(cookie)
                .startsWith("gatehouse_portal=").contains("Path=/portal/" + id).contains("HttpOnly"));
    }

    @Test
    void theFeaturesQueryChoosesWhatTheLinkOpens() {
        String org = organization();
        TestGatehouse.Response sso = gatehouse.send("PUT", links(org) + "?features=sso", gatehouse.accessToken(), null, null);
        assertThat(sso.status()).as(sso.toString()).isEqualTo(200);
        assertThat(features(sso.json().path("link").path("id").asText())).containsExactly(OrganizationFeature.SSO);
        TestGatehouse.Response both = gatehouse.send("PUT", links(org) + "?features=dir_sync&features=sso",
                gatehouse.accessToken(), null, null);
        assertThat(features(both.json().path("link").path("id").asText()))
                .containsExactlyInAnyOrder(OrganizationFeature.SSO, OrganizationFeature.DIRECTORY_SYNC);
        assertInvalidArgument(gatehouse.send("PUT", links(org) + "?features=everything", gatehouse.accessToken(),
                null, null), "features");
    }

    private static Set<OrganizationFeature> features(String linkId) {
        return gatehouse.wiring.portalLinkRepository.find(gatehouse.environmentId(), linkId).orElseThrow().features();
    }

    @Test
    void getListsLiveLinksWithoutTheirKeyAndDeleteRevokesOneOrAll() {
        String org = organization();
        String token = gatehouse.accessToken();
        String first = gatehouse.send("PUT", links(org), token, null, null).json().path("link").path("id").asText();
        String second = gatehouse.send("PUT", links(org), token, null, null).json().path("link").path("id").asText();

        JsonNode listed = gatehouse.get(links(org), token).json().path("links");
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).path("id").asText()).isEqualTo(first);
        assertThat(listed.get(0).path("location").asText()).isEqualTo(gatehouse.baseUrl() + "/portal/" + first);
        assertThat(listed.get(0).path("expire_time").asText()).isNotEmpty();

        assertThat(gatehouse.delete(links(org) + "/" + first, token).status()).isEqualTo(200);
        assertThat(gatehouse.get(links(org), token).json().path("links")).hasSize(1);
        assertRpcStatus(gatehouse.delete(links(org) + "/" + first, token), 404, 5, "NOT_FOUND");
        assertThat(gatehouse.delete(links(org), token).status()).isEqualTo(200);
        assertThat(gatehouse.get(links(org), token).json().path("links")).isEmpty();
        assertThat(gatehouse.wiring.portalLinkRepository.find(gatehouse.environmentId(), second)).isEmpty();
    }

    @Test
    void badAndUnknownInputIsRefusedInTheApisShape() {
        String token = gatehouse.accessToken();
        String unknown = "org_99999999999999999";
        assertRpcStatus(gatehouse.send("PUT", links(unknown), token, null, null), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.get(links(unknown), token), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.delete(links(unknown), token), 404, 5, "NOT_FOUND");
        assertInvalidArgument(gatehouse.send("PUT", links("org_" + "1".repeat(40)), token, null, null), "id");
        assertInvalidArgument(gatehouse.delete(links(organization()) + "/" + "lnk_" + "1".repeat(40), token), "link_id");
        RpcStatusAssertions.assertUnauthenticated(gatehouse.send("PUT", links(organization()), null, null, null));
    }

    @Test
    void anotherEnvironmentsOrganizationsAndLinksAreNotFound() {
        TestGatehouse.TestEnvironment other = gatehouse.createIsolatedEnvironment();
        String otherToken = gatehouse.accessToken(other);
        String org = organization();
        String linkId = gatehouse.send("PUT", links(org), gatehouse.accessToken(), null, null).json().path("link")
                .path("id").asText();
        assertRpcStatus(gatehouse.send("PUT", links(org), otherToken, null, null), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.get(links(org), otherToken), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.delete(links(org) + "/" + linkId, otherToken), 404, 5, "NOT_FOUND");
        String otherOrg = gatehouse.seedOrganization(other.id(), "Other", null).id();
        assertRpcStatus(gatehouse.delete(links(otherOrg) + "/" + linkId, otherToken), 404, 5, "NOT_FOUND");
        assertThat(gatehouse.wiring.portalLinkRepository.find(gatehouse.environmentId(), linkId)).isPresent();
        assertThat(gatehouse.wiring.portalLinkRepository.find(other.id(), linkId)).isEmpty();
    }

    @Test
    void theAuditLogRecordsTheGenerationWithoutTheKey() {
        String org = organization();
        long mark = gatehouse.auditMark();
        String location = gatehouse.send("PUT", links(org), gatehouse.accessToken(), null, null).json().path("link")
                .path("location").asText();
        String key = location.substring(location.indexOf("?key=") + 5);
        assertThat(gatehouse.auditSince(mark, "management.generate_portal_link")).singleElement()
                .satisfies(row -> assertThat(row.attributes()).doesNotContain(key));
        assertThat(gatehouse.audit(gatehouse.environmentId(), "management.generate_portal_link"))
                .anySatisfy(record -> assertThat(record.after()).hasValueSatisfying(after -> assertThat(after)
                        .contains("lnk_").contains("[REDACTED]")))
                .allSatisfy(record -> assertThat(record.after().orElse("")).doesNotContain(key));
    }

    @Test
    void grpcServesTheSameLinksAndPolicies() {
        String org = organization();
        Link link = grpc.generatePortalLink(GeneratePortalLinkRequest.newBuilder().setId(org)
                .addFeatures(Feature.dir_sync).build()).getLink();
        assertThat(link.getId()).startsWith("lnk_");
        assertThat(link.getLocation()).contains("?key=");
        assertThat(features(link.getId())).containsExactly(OrganizationFeature.DIRECTORY_SYNC);
        assertThat(grpc.getPortalLinks(GetPortalLinkRequest.newBuilder().setId(org).build()).getLinksList())
                .extracting(Link::getId).containsExactly(link.getId());
        grpc.deletePortalLinkByID(DeletePortalLinkByIdRequest.newBuilder().setId(org).setLinkId(link.getId()).build());
        ErrorInfo gone = OrganizationGrpcTest.errorInfo(OrganizationGrpcTest.failure(() -> grpc.deletePortalLinkByID(
                DeletePortalLinkByIdRequest.newBuilder().setId(org).setLinkId(link.getId()).build())),
                Status.Code.NOT_FOUND);
        assertThat(gone.getErrorCode()).isEqualTo("NOT_FOUND");

        assertThat(grpc.getOrganizationSessionPolicy(GetOrganizationSessionPolicyRequest.newBuilder()
                .setOrganizationId(org).build()).getPolicy().getPolicySource()).isEqualTo(SessionPolicyType.APPLICATION);
        var custom = grpc.updateOrganizationSessionPolicy(UpdateOrganizationSessionPolicyRequest.newBuilder()
                .setOrganizationId(org).setPolicySource(SessionPolicyType.CUSTOM)
                .setAbsoluteSessionTimeout(Int32Value.of(360)).setAbsoluteSessionTimeoutUnit(TimeUnit.MINUTES)
                .setIdleSessionTimeoutEnabled(BoolValue.of(true)).setIdleSessionTimeout(Int32Value.of(84))
                .setIdleSessionTimeoutUnit(TimeUnit.MINUTES).build()).getPolicy();
        assertThat(custom.getPolicySource()).isEqualTo(SessionPolicyType.CUSTOM);
        assertThat(custom.getAbsoluteSessionTimeout().getValue()).isEqualTo(360);
        assertThat(custom.getIdleSessionTimeout().getValue()).isEqualTo(84);
        assertThat(custom.getIdleSessionTimeoutUnit()).isEqualTo(TimeUnit.MINUTES);
        assertThat(grpc.getApplicationSessionPolicy(GetApplicationSessionPolicyRequest.newBuilder()
                .setOrganizationId(org).build()).getApplicationPolicy().getAccessTokenExpiry()).isEqualTo(300);

        ErrorInfo invalid = OrganizationGrpcTest.errorInfo(OrganizationGrpcTest.failure(() ->
                grpc.updateOrganizationSessionPolicy(UpdateOrganizationSessionPolicyRequest.newBuilder()
                        .setOrganizationId(org).build())), Status.Code.INVALID_ARGUMENT);
        assertThat(invalid.getValidationErrorInfo().getFieldViolationsList())
                .anySatisfy(v -> assertThat(v.getField()).isEqualTo("policy_source"));
    }

    @Test
    void sessionPolicyChangesAreValidatedAndAudited() {
        String org = organization();
        String path = "/api/v1/organizations/" + org + "/session-policy";
        String token = gatehouse.accessToken();
        assertThat(gatehouse.get(path, token).json().path("policy").path("policy_source").asText())
                .isEqualTo("APPLICATION");
        assertInvalidArgument(gatehouse.patchJson(path, token, Map.of()), "policy_source");
        assertInvalidArgument(gatehouse.patchJson(path, token, Map.of("policy_source", "CUSTOM")),
                "absolute_session_timeout");
        assertInvalidArgument(gatehouse.patchJson(path, token, Map.of("policy_source", "CUSTOM",
                "absolute_session_timeout", 2)), "absolute_session_timeout_unit");
        assertInvalidArgument(gatehouse.patchJson(path, token, Map.of("policy_source", "CUSTOM",
                "absolute_session_timeout", 1, "absolute_session_timeout_unit", "MINUTES")), "absolute_session_timeout");
        assertInvalidArgument(gatehouse.patchJson(path, token, Map.of("policy_source", "CUSTOM",
                "absolute_session_timeout", 2, "absolute_session_timeout_unit", "HOURS", "idle_session_timeout_enabled", true,
                "idle_session_timeout", 3, "idle_session_timeout_unit", "HOURS")), "idle_session_timeout");
        assertInvalidArgument(gatehouse.patchJson(path, token, Map.of("policy_source", "CUSTOM",
                "absolute_session_timeout", 2, "absolute_session_timeout_unit", "HOURS",
                "idle_session_timeout_enabled", true)), "idle_session_timeout");
        assertRpcStatus(gatehouse.patchJson("/api/v1/organizations/org_99999999999999999/session-policy", token,
                Map.of("policy_source", "APPLICATION")), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.get("/api/v1/organizations/org_99999999999999999/application-session-policy", token),
                404, 5, "NOT_FOUND");
        assertThat(gatehouse.get(path, token).json().path("policy").path("policy_source").asText())
                .as("refused changes change nothing").isEqualTo("APPLICATION");

        long mark = gatehouse.auditMark();
        TestGatehouse.Response saved = gatehouse.patchJson(path, token, Map.of("policy_source", "CUSTOM",
                "absolute_session_timeout", 8, "absolute_session_timeout_unit", "HOURS"));
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        JsonNode policy = saved.json().path("policy");
        assertThat(policy.path("absolute_session_timeout").asInt()).isEqualTo(8);
        assertThat(policy.path("absolute_session_timeout_unit").asText()).isEqualTo("HOURS");
        assertThat(policy.path("idle_session_timeout_enabled").asBoolean()).isFalse();
        assertThat(gatehouse.get(path, token).json().path("policy")).isEqualTo(policy);
        assertThat(gatehouse.auditSince(mark, "management.update_organization_session_policy"))
                .singleElement().satisfies(row -> assertThat(row.outcome()).isEqualTo("SUCCESS"));

        TestGatehouse.TestEnvironment other = gatehouse.createIsolatedEnvironment();
        assertRpcStatus(gatehouse.get(path, gatehouse.accessToken(other)), 404, 5, "NOT_FOUND");
        assertRpcStatus(gatehouse.patchJson(path, gatehouse.accessToken(other), Map.of("policy_source", "APPLICATION")),
                404, 5, "NOT_FOUND");
    }
}
