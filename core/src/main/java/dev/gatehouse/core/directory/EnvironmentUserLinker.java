package dev.gatehouse.core.directory;

import dev.gatehouse.core.user.Membership;
import dev.gatehouse.core.user.MembershipPatch;
import dev.gatehouse.core.user.MembershipRepository;
import dev.gatehouse.core.user.MembershipStatus;
import dev.gatehouse.core.user.NewMembership;
import dev.gatehouse.core.user.NewUser;
import dev.gatehouse.core.user.Role;
import dev.gatehouse.core.user.User;
import dev.gatehouse.core.user.UserProfile;
import dev.gatehouse.core.user.UserRef;
import dev.gatehouse.core.user.UserRepository;
import dev.gatehouse.core.user.UserService;
import dev.gatehouse.core.user.UserSessionRevoker;
import dev.gatehouse.core.user.UserView;
import dev.gatehouse.core.user.UserWithMembership;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Directory sync into environment users (docs/DECISIONS.md D-L1…D-L6). A directory user is linked to the environment
 * user with its email (ignoring case; an existing user is linked, never duplicated), which gets a membership in the
 * directory's organization whose roles follow the user's groups and whose status follows {@code active}. Writes go
 * through {@link UserService} (validation and the users' own events); reads go to the repositories, and nothing is
 * written when nothing changed, so the common SCIM PATCH costs two reads here.
 */
public final class EnvironmentUserLinker implements DirectoryUserLinker {
    /** UserRules' limits: directory values are clipped to them, so a long SCIM name never fails a sync. */
    private static final int GIVEN_FAMILY_NAME_MAX = 255;
    private static final int FIRST_LAST_NAME_MAX = 200;
    private static final int NAME_MAX = 1024;
    private static final int PREFERRED_USERNAME_MAX = 512;
    private static final int ROLES_MAX = 10;

    private final UserService users;
    private final UserRepository userRepository;
    private final MembershipRepository memberships;
    private final DirectoryRepository directories;
    private final DirectoryResourceRepository resources;
    private final UserSessionRevoker sessions;
    private final Set<String> environmentsWithRoles = ConcurrentHashMap.newKeySet();

    public EnvironmentUserLinker(UserService users, UserRepository userRepository, MembershipRepository memberships,
                                 DirectoryRepository directories, DirectoryResourceRepository resources,
                                 UserSessionRevoker sessions) {
        this.users = users;
        this.userRepository = userRepository;
        this.memberships = memberships;
        this.directories = directories;
        this.resources = resources;
        this.sessions = sessions;
    }

    /** The default roles are created on first use in a transaction of their own (see UserService.roles). */
    @Override
    public void prepare(Directory directory) {
        if (!environmentsWithRoles.contains(directory.environmentId())) {
            users.roles(directory.environmentId());
            environmentsWithRoles.add(directory.environmentId());
        }
    }

    @Override
    public Optional<String> upsert(Directory directory, DirectoryUser user, List<String> roleNames) {
        String env = directory.environmentId();
        Optional<String> email = user.email().map(String::strip).filter(UserService::isValidEmail);
        // The linked user with their membership here, in one read: the common PATCH needs nothing else (D-SW2).
        Optional<UserWithMembership> linkedRow = user.linkedUserId()
                .flatMap(id -> userRepository.findWithMembership(env, id, directory.organizationId()));
        Optional<User> linked = linkedRow.map(UserWithMembership::user);
        List<String> roles = effectiveRoles(env, roleNames);
        Optional<User> target;
        Optional<Membership> createdMembership = Optional.empty();
        Optional<Optional<Membership>> knownMembership = Optional.empty();
        if (email.isEmpty() || linked.map(u -> u.email().equalsIgnoreCase(email.get())).orElse(false)) {
            target = linked;
            knownMembership = linkedRow.map(UserWithMembership::membership);
        } else {
            Optional<User> holder = userRepository.findByEmail(env, email.get());
            if (holder.isPresent()) {
                target = holder;
            } else if (linked.isPresent() && onlyInOrganization(linked.get(), directory.organizationId())) {
                target = Optional.of(users.changeEmail(env, linked.get().id(), email.get()).user());
            } else {
                UserView view = users.createUserAndMembership(env, directory.organizationId(),
                        new NewUser(email.get(), Optional.empty(), Map.of(), profile(user, UserProfile.empty())),
                        new NewMembership(roles, Map.of(), Optional.empty()), false);
                target = Optional.of(view.user());
                createdMembership = view.memberships().stream()
                        .filter(m -> m.organizationId().equals(directory.organizationId())).findFirst();
            }
        }
        if (linked.isPresent() && !target.map(t -> t.id().equals(linked.get().id())).orElse(false)) {
            removeMembership(directory, user, linked.get().id());
        }
        if (target.isEmpty()) {
            return Optional.empty();
        }
        User synced = target.get();
        if (createdMembership.isPresent()) {
            // Created just now with this profile and an ACTIVE membership with these roles.
            if (!user.active()) {
                users.setMembershipStatus(createdMembership.get(), MembershipStatus.INACTIVE);
            }
            return Optional.of(synced.id());
        }
        UserProfile wanted = profile(user, synced.profile());
        if (!wanted.equals(synced.profile())) {
            users.updateProfile(synced, wanted);
        }
        syncMembership(directory, user, synced.id(), roles, knownMembership);
        return Optional.of(synced.id());
    }

    @Override
    public void deprovision(Directory directory, DirectoryUser user) {
        user.linkedUserId().ifPresent(linkedId -> removeMembership(directory, user, linkedId));
    }

    /** Membership status follows {@code active}; roles follow the groups. Losing access ends the user's sessions. */
    private void syncMembership(Directory directory, DirectoryUser user, String userId, List<String> roles,
                                Optional<Optional<Membership>> known) {
        String env = directory.environmentId();
        String org = directory.organizationId();
        MembershipStatus wanted = user.active() ? MembershipStatus.ACTIVE : MembershipStatus.INACTIVE;
        Optional<Membership> current = known.orElseGet(() -> memberships.find(env, org, userId));
        if (current.isEmpty()) {
            users.createMembership(env, org, new UserRef.ById(userId), new NewMembership(roles, Map.of(), Optional.empty()), false);
        } else if (!current.get().roles().equals(roles)) {
            users.updateMembership(env, org, new UserRef.ById(userId), new MembershipPatch(Optional.of(roles), Optional.empty()));
        }
        MembershipStatus stored = current.map(Membership::storedStatus).orElse(MembershipStatus.ACTIVE);
        if (stored != wanted) {
            if (current.isPresent() && current.get().roles().equals(roles)) {
                users.setMembershipStatus(current.get(), wanted);
            } else {
                users.setMembershipStatus(env, org, userId, wanted);
            }
            if (wanted == MembershipStatus.INACTIVE) {
                sessions.revokeAll(env, userId);
            }
        }
    }

    /**
     * The directory user no longer stands for this environment user in the organization (DELETE, or its email now
     * names another user): the membership goes, with the user's sessions, and a user left without any membership is
     * deleted. Another directory of the same organization still linking the user keeps the membership.
     */
    private void removeMembership(Directory directory, DirectoryUser user, String userId) {
        String env = directory.environmentId();
        String org = directory.organizationId();
        for (DirectoryUser other : resources.usersLinkedTo(env, userId)) {
            if (!other.id().equals(user.id()) && directories.findById(env, org, other.directoryId()).isPresent()) {
                return;
            }
        }
        if (memberships.find(env, org, userId).isEmpty()) {
            return;
        }
        sessions.revokeAll(env, userId);
        users.deleteMembership(env, org, new UserRef.ById(userId), true);
    }

    private boolean onlyInOrganization(User user, String organizationId) {
        return memberships.listForUsers(user.environmentId(), List.of(user.id())).stream()
                .allMatch(m -> m.organizationId().equals(organizationId));
    }

    /**
     * The mapped roles that exist in the environment (at most 10), else the environment's default role: a mapping to
     * a role the environment does not have never fails a sync.
     */
    private List<String> effectiveRoles(String environmentId, List<String> mapped) {
        List<Role> known = users.roles(environmentId);
        List<String> roles = new ArrayList<>();
        for (String name : mapped) {
            if (roles.size() < ROLES_MAX && !roles.contains(name) && known.stream().anyMatch(r -> r.name().equals(name))) {
                roles.add(name);
            }
        }
        if (roles.isEmpty()) {
            known.stream().filter(Role::defaultMember).map(Role::name).findFirst().ifPresent(roles::add);
        }
        return List.copyOf(roles);
    }

    /**
     * The profile with what the directory says: names and userName. A value the directory does not send is kept;
     * first/last name mirror given/family name (both pairs are on the wire).
     */
    static UserProfile profile(DirectoryUser user, UserProfile current) {
        Optional<String> given = user.givenName().map(v -> clean(v, GIVEN_FAMILY_NAME_MAX)).filter(v -> !v.isEmpty());
        Optional<String> family = user.familyName().map(v -> clean(v, GIVEN_FAMILY_NAME_MAX)).filter(v -> !v.isEmpty());
        Optional<String> name = user.displayName().map(v -> clean(v, NAME_MAX)).filter(v -> !v.isEmpty())
                .or(() -> given.isEmpty() && family.isEmpty() ? Optional.empty()
                        : Optional.of(clean((given.orElse("") + " " + family.orElse("")).strip(), NAME_MAX)));
        String preferred = clean(user.userName(), PREFERRED_USERNAME_MAX);
        return new UserProfile(given.orElse(current.givenName()), family.orElse(current.familyName()),
                name.orElse(current.name()), current.locale(), current.phoneNumber(),
                given.map(v -> clip(v, FIRST_LAST_NAME_MAX)).orElse(current.firstName()),
                family.map(v -> clip(v, FIRST_LAST_NAME_MAX)).orElse(current.lastName()),
                preferred.isEmpty() ? current.preferredUsername() : preferred, current.picture(), current.gender(),
                current.groups(), current.metadata(), current.customAttributes());
    }

    /** Control characters removed (the Users API refuses them), surrounding blanks trimmed, clipped to the limit. */
    private static String clean(String value, int max) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), max));
        value.codePoints().filter(c -> !Character.isISOControl(c)).forEach(out::appendCodePoint);
        return clip(out.toString().strip(), max);
    }

    private static String clip(String value, int max) {
        if (value.length() <= max) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
        return value.substring(0, end);
    }
}
