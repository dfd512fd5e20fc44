package dev.gatehouse.http.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.proto.directories.CreateDirectorySecretResponse;
import dev.gatehouse.proto.directories.Secret;
import dev.gatehouse.proto.organizations.GetOrganizationRequest;
import dev.gatehouse.proto.organizations.Organization;
import dev.gatehouse.proto.organizations.UpdateOrganization;
import dev.gatehouse.proto.organizations.UpdateOrganizationRequest;
import dev.gatehouse.proto.organizations.UpdateOrganizationResponse;
import dev.gatehouse.proto.users.AssignUserRolesRequest;
import dev.gatehouse.proto.users.GetUserRequest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure parts of the management-change audit: naming, redaction, before lookups, targets. */
class ManagementChangeAuditTest {
    @Test
    void readsAreNotChangesAndTypesAreSnakeCase() {
        assertThat(ManagementChangeAudit.isChange("GetOrganization")).isFalse();
        assertThat(ManagementChangeAudit.isChange("ListUsers")).isFalse();
        assertThat(ManagementChangeAudit.isChange("SearchOrganization")).isFalse();
        assertThat(ManagementChangeAudit.isChange("VerifyAuditChain")).isFalse();
        assertThat(ManagementChangeAudit.isChange("CreateOrganization")).isTrue();
        assertThat(ManagementChangeAudit.isChange("RegenerateDirectorySecret")).isTrue();
        assertThat(ManagementChangeAudit.type("UpdateOrganizationSettings")).isEqualTo("management.update_organization_settings");
    }

    @Test
    void secretFieldsAreRedactedAtAnyDepthOtherFieldsKept() {
        CreateDirectorySecretResponse answer = CreateDirectorySecretResponse.newBuilder().setPlainSecret("gds_topsecret")
                .setSecret(Secret.newBuilder().setId("sec_1").setSecretSuffix("cret")).build();

        String json = Redaction.json(answer).orElseThrow();

        assertThat(json).doesNotContain("gds_topsecret").contains("\"plain_secret\":\"[REDACTED]\"", "\"id\":\"sec_1\"");
        assertThat(Redaction.isSecretName("client_secret")).isTrue();
        assertThat(Redaction.isSecretName("access_token")).isTrue();
        assertThat(Redaction.isSecretName("password")).isTrue();
        assertThat(Redaction.isSecretName("next_page_token")).isFalse();
        assertThat(Redaction.isSecretName("display_name")).isFalse();
        assertThat(Redaction.json(com.google.protobuf.Empty.getDefaultInstance())).isEmpty();
    }

    @Test
    void beforeLookupRequestsAreBuiltFromSameNamedFieldsOnlyWhenTheyIdentifyTheResource() {
        UpdateOrganizationRequest update = UpdateOrganizationRequest.newBuilder().setId("org_1")
                .setOrganization(UpdateOrganization.newBuilder().setDisplayName("x")).build();

        assertThat(BeforeLookup.copy(update, GetOrganizationRequest.getDefaultInstance()))
                .contains(GetOrganizationRequest.newBuilder().setId("org_1").build());
        assertThat(BeforeLookup.copy(AssignUserRolesRequest.newBuilder().setOrganizationId("org_1").setUserId("usr_1").build(),
                GetUserRequest.getDefaultInstance())).isEmpty();
        assertThat(BeforeLookup.words("UpdateOrganizationSettings")).containsExactly("Update", "Organization", "Settings");
    }

    @Test
    void targetIsTheRequestIdElseTheAnswersResource() {
        UpdateOrganizationRequest update = UpdateOrganizationRequest.newBuilder().setId("org_1").build();
        UpdateOrganizationResponse answer = UpdateOrganizationResponse.newBuilder()
                .setOrganization(Organization.newBuilder().setId("org_2")).build();

        assertThat(ManagementChangeAudit.target(Optional.of(update), Optional.empty(), Optional.of(answer))).contains("org_1");
        assertThat(ManagementChangeAudit.target(Optional.of(UpdateOrganizationRequest.getDefaultInstance()), Optional.empty(),
                Optional.of(answer))).contains("org_2");
        assertThat(ManagementChangeAudit.target(Optional.of(AssignUserRolesRequest.newBuilder().setOrganizationId("org_1")
                .setUserId("usr_1").build()), Optional.empty(), Optional.empty())).contains("usr_1");
        assertThat(ManagementChangeAudit.organization(Optional.of(update), Optional.empty(), Optional.of("org_1")))
                .contains("org_1");
    }

    @Test
    void aPortalLinksLocationIsRedactedForItCarriesTheKey() {
        var answer = dev.gatehouse.proto.organizations.GeneratePortalLinkResponse.newBuilder()
                .setLink(dev.gatehouse.proto.organizations.Link.newBuilder().setId("lnk_1")
                        .setLocation("https://auth.example.test/portal/lnk_1?key=secret-key")).build();
        String json = Redaction.json(answer).orElseThrow();
        assertThat(json).contains("lnk_1").contains(Redaction.REDACTED).doesNotContain("secret-key");
    }
}
