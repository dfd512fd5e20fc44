package dev.gatehouse.store;

import dev.gatehouse.core.organization.NewOrganization;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.RegionCode;
import dev.gatehouse.core.user.NewUser;
import dev.gatehouse.core.user.UserProfile;
import dev.gatehouse.core.user.UserService;
import java.util.Map;
import java.util.Optional;

/** The users' repositories and service over a {@link StoreFixture}'s database, clock and IDs. */
final class UserFixture {
    final JdbiUserRepository userRepository;
    final JdbiMembershipRepository membershipRepository;
    final JdbiRoleRepository roleRepository;
    final UserService users;
    private final StoreFixture f;

    UserFixture(StoreFixture f) {
        this.f = f;
        this.userRepository = new JdbiUserRepository(f.tx);
        this.membershipRepository = new JdbiMembershipRepository(f.tx);
        this.roleRepository = new JdbiRoleRepository(f.tx);
        this.users = new UserService(userRepository, membershipRepository, roleRepository, f.organizationRepository,
                f.ids, f.clock, f.tx, UserService.DEFAULT_INVITATION_TTL, f.outbox,
                dev.gatehouse.core.user.InvitationSender.NONE);
    }

    Organization organization(String environmentId, String name) {
        return f.organizations.create(environmentId, new NewOrganization(name, RegionCode.US, Optional.empty(), Map.of(),
                Optional.empty(), Optional.empty()));
    }

    static NewUser newUser(String email) {
        return new NewUser(email, Optional.empty(), Map.of(), UserProfile.empty());
    }
}
