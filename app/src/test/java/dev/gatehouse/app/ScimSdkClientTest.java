package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.scim2.client.ScimService;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.types.Email;
import com.unboundid.scim2.common.types.EnterpriseUserExtension;
import com.unboundid.scim2.common.types.GroupResource;
import com.unboundid.scim2.common.types.Member;
import com.unboundid.scim2.common.types.Name;
import com.unboundid.scim2.common.types.UserResource;
import dev.gatehouse.core.directory.DirectoryProvider;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import java.util.List;
import org.glassfish.jersey.client.ClientConfig;
import org.glassfish.jersey.jnh.connector.JavaNetHttpConnectorProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** UnboundID's SCIM 2 client (scim2-sdk-client, a real third-party SCIM client) against the server. */
class ScimSdkClientTest {
    private static TestGatehouse gatehouse;
    private static ScimDirectoryFixture dir;
    private static Client client;
    private static ScimService scim;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
        dir = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.GENERIC);
        client = ClientBuilder.newClient(new ClientConfig().connectorProvider(new JavaNetHttpConnectorProvider()))
                .register((jakarta.ws.rs.client.ClientRequestFilter) request ->
                        request.getHeaders().putSingle("Authorization", "Bearer " + dir.token()));
        scim = new ScimService(client.target(dir.baseUrl()));
    }

    @AfterAll
    static void stop() {
        client.close();
        gatehouse.close();
    }

    private static UserResource user(String userName, String given, String department) {
        UserResource user = new UserResource().setUserName(userName)
                .setName(new Name().setGivenName(given).setFamilyName("Tester"))
                .setEmails(List.of(new Email().setValue(userName).setType("work").setPrimary(true)));
        user.setExtension(new EnterpriseUserExtension().setDepartment(department));
        user.setActive(true);
        return user;
    }

    @Test
    void sdkWhenUsersCreatedFilteredPatchedDeletedThenServerAgrees() throws Exception {
        assertThat(scim.getServiceProviderConfig().getPatch().isSupported()).isTrue();
        assertThat(scim.getSchemas().getTotalResults()).isEqualTo(3);

        UserResource ann = scim.create("Users", user("ann@sdk.example", "Ann", "Sales"));
        UserResource ben = scim.create("Users", user("ben@sdk.example", "Ben", "R&D"));
        assertThat(ann.getId()).startsWith("diruser_");
        assertThat(ann.getMeta().getLocation().toString()).isEqualTo(dir.baseUrl() + "/Users/" + ann.getId());

        UserResource fetched = scim.retrieve("Users", ann.getId(), UserResource.class);
        assertThat(fetched.getName().getGivenName()).isEqualTo("Ann");
        assertThat(fetched.getExtension(EnterpriseUserExtension.class).getDepartment()).isEqualTo("Sales");

        ListResponse<UserResource> byName = scim.searchRequest("Users").filter("userName eq \"BEN@sdk.example\"")
                .invoke(UserResource.class);
        assertThat(byName.getTotalResults()).isEqualTo(1);
        assertThat(byName.getResources().getFirst().getId()).isEqualTo(ben.getId());

        ListResponse<UserResource> rnd = scim.searchRequest("Users")
                .filter("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"r&d\" or name.givenName sw \"A\"")
                .sort("userName", com.unboundid.scim2.common.messages.SortOrder.DESCENDING)
                .page(1, 10).attributes("userName").invoke(UserResource.class);
        assertThat(rnd.getResources()).extracting(UserResource::getUserName).containsExactly("ben@sdk.example", "ann@sdk.example");
        assertThat(rnd.getResources().getFirst().getName()).isNull();

        UserResource patched = scim.modifyRequest("Users", ann.getId())
                .replaceValue("name.givenName", "Annie")
                .replaceValue("active", false)
                .addValues("emails", new Email().setValue("ann@home.example").setType("home"))
                .invoke(UserResource.class);
        assertThat(patched.getName().getGivenName()).isEqualTo("Annie");
        assertThat(patched.getActive()).isFalse();
        assertThat(patched.getEmails()).extracting(Email::getValue).containsExactly("ann@sdk.example", "ann@home.example");

        UserResource removed = scim.modifyRequest("Users", ann.getId())
                .removeValues("emails[type eq \"home\"]").invoke(UserResource.class);
        assertThat(removed.getEmails()).extracting(Email::getValue).containsExactly("ann@sdk.example");

        scim.delete("Users", ben.getId());
        assertThatThrownBy(() -> scim.retrieve("Users", ben.getId(), UserResource.class))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> scim.create("Users", user("ANN@sdk.example", "Dup", "x")))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.getScimError().getStatus()).isEqualTo(409);
                    assertThat(e.getScimError().getScimType()).isEqualTo("uniqueness");
                });
    }

    @Test
    void sdkWhenGroupsCreatedPatchedDeletedThenMembersFollow() throws Exception {
        UserResource carl = scim.create("Users", user("carl@sdk.example", "Carl", "Ops"));
        UserResource dora = scim.create("Users", user("dora@sdk.example", "Dora", "Ops"));
        GroupResource ops = new GroupResource().setDisplayName("Ops")
                .setMembers(List.of(new Member().setValue(carl.getId())));
        GroupResource created = scim.create("Groups", ops);
        assertThat(created.getMembers()).extracting(Member::getValue).containsExactly(carl.getId());

        GroupResource added = scim.modifyRequest("Groups", created.getId())
                .addValues("members", new Member().setValue(dora.getId()))
                .replaceValue("displayName", "Operations")
                .invoke(GroupResource.class);
        assertThat(added.getDisplayName()).isEqualTo("Operations");
        assertThat(added.getMembers()).extracting(Member::getValue).containsExactlyInAnyOrder(carl.getId(), dora.getId());

        ListResponse<GroupResource> found = scim.searchRequest("Groups").filter("displayName eq \"operations\"")
                .invoke(GroupResource.class);
        assertThat(found.getResources()).extracting(GroupResource::getId).containsExactly(created.getId());

        GroupResource removed = scim.modifyRequest("Groups", created.getId())
                .removeValues("members[value eq \"" + carl.getId() + "\"]").invoke(GroupResource.class);
        assertThat(removed.getMembers()).extracting(Member::getValue).containsExactly(dora.getId());
        assertThat(scim.retrieve("Users", dora.getId(), UserResource.class).getGroups())
                .extracting(g -> g.getValue()).containsExactly(created.getId());

        scim.delete("Groups", created.getId());
        assertThatThrownBy(() -> scim.retrieve("Groups", created.getId(), GroupResource.class))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void sdkWhenUserProvisionedAndGroupMappedThenUsersApiShowsMemberWithRole() throws Exception {
        UserResource eve = scim.create("Users", user("eve@sdk.example", "Eve", "Security"));
        GroupResource admins = scim.create("Groups", new GroupResource().setDisplayName("SDK Admins")
                .setMembers(List.of(new Member().setValue(eve.getId()))));
        String token = gatehouse.accessToken();
        String org = dir.organization().id();
        var assigned = gatehouse.send("PUT", "/api/v1/organizations/" + org + "/directories/" + dir.directory().id()
                + "/groups/-/roles:assign", token, "application/json",
                "{\"assignments\":[{\"role_name\":\"member\"},{\"group_id\":\"" + admins.getId() + "\",\"role_name\":\"admin\"}]}");
        assertThat(assigned.status()).as("%s", assigned).isEqualTo(200);

        var users = gatehouse.get("/api/v1/organizations/" + org + "/users", token).json().path("users");
        var listed = java.util.stream.StreamSupport.stream(users.spliterator(), false)
                .filter(u -> u.path("email").asText().equals("eve@sdk.example")).findFirst().orElseThrow();
        assertThat(listed.at("/user_profile/given_name").asText()).isEqualTo("Eve");
        assertThat(listed.at("/memberships/0/organization_id").asText()).isEqualTo(org);
        assertThat(listed.at("/memberships/0/membership_status").asText()).isEqualTo("ACTIVE");
        assertThat(listed.at("/memberships/0/roles/0/name").asText()).isEqualTo("admin");

        scim.modifyRequest("Users", eve.getId()).replaceValue("active", false).invoke(UserResource.class);
        assertThat(gatehouse.get("/api/v1/users/" + listed.path("id").asText(), token).json()
                .at("/user/memberships/0/membership_status").asText()).isEqualTo("INACTIVE");
    }
}
