package dev.gatehouse.core.user;

import dev.gatehouse.core.event.Outbox;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationRepository;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.FieldViolation;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import dev.gatehouse.core.shared.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The use cases of the Users API: users, their memberships in organizations, invitations, and the
 * environment's minimal role list. Validates first, then writes in one transaction, so a refused
 * request leaves nothing behind. Every change appends its {@code user.*} / {@code membership.*}
 * events to the outbox in that transaction ({@link UserEvents}).
 */
public final class UserService {
    /** Scalekit's default invitation expiry (User Management → Settings). */
    public static final Duration DEFAULT_INVITATION_TTL = Duration.ofDays(15);
    public static final String ADMIN_ROLE = "admin";
    public static final String MEMBER_ROLE = "member";
    public static final int SEARCH_QUERY_MIN = 3;
    public static final int SEARCH_QUERY_MAX = 100;

    private final UserRepository users;
    private final MembershipRepository memberships;
    private final RoleRepository roles;
    private final OrganizationRepository organizations;
    private final IdGenerator ids;
    private final Clock clock;
    private final Transactions transactions;
    private final Duration invitationTtl;
    private final UserEvents events;
    private final InvitationSender invitations;
    /** Roles read per environment, kept for {@link #ROLES_KEPT} (D-SW2); only this service writes roles. */
    private final Map<String, KnownRoles> knownRoles = new ConcurrentHashMap<>();
    private static final Duration ROLES_KEPT = Duration.ofSeconds(60);

    private record KnownRoles(List<Role> roles, Instant readAt) {}

    /** What a create committed, for the invitation email sent after the commit. */
    private record Committed(UserView view, Organization organization, User user, Membership membership) {}

    public UserService(UserRepository users, MembershipRepository memberships, RoleRepository roles,
                       OrganizationRepository organizations, IdGenerator ids, Clock clock, Transactions transactions,
                       Duration invitationTtl, Outbox outbox, InvitationSender invitations) {
        this.invitations = invitations;
        this.users = users;
        this.memberships = memberships;
        this.roles = roles;
        this.organizations = organizations;
        this.ids = ids;
        this.clock = clock;
        this.transactions = transactions;
        this.invitationTtl = invitationTtl;
        this.events = new UserEvents(outbox, ids, clock);
    }

    /** The environment's roles; the defaults {@code admin} and {@code member} (the default for new members) are created on first use. */
    public List<Role> roles(String environmentId) {
        Instant asOf = clock.instant();
        KnownRoles known = knownRoles.get(environmentId);
        if (known != null && asOf.isBefore(known.readAt().plus(ROLES_KEPT)) && !asOf.isBefore(known.readAt())) {
            return known.roles();
        }
        List<Role> existing = roles.list(environmentId);
        if (!existing.isEmpty()) {
            remember(environmentId, existing, asOf);
            return existing;
        }
        try {
            transactions.inTransaction(() -> {
                Instant now = now();
                roles.insert(new Role(ids.next(IdPrefix.ROLE), environmentId, ADMIN_ROLE, "Admin", false, now));
                roles.insert(new Role(ids.next(IdPrefix.ROLE), environmentId, MEMBER_ROLE, "Member", true, now));
                return null;
            });
        } catch (DomainException.AlreadyExists concurrentlyCreated) {
            // Another request created them first: read theirs.
        }
        return roles.list(environmentId);
    }

    /**
     * Roles are only ever the defaults, inserted once per environment by {@link #roles} and never changed or deleted
     * except with their environment, so a non-empty list read is kept a minute (D-SW2). The one case it could be
     * wrong — read inside a caller's transaction that inserted the defaults and then rolled back — ends with the minute.
     */
    private void remember(String environmentId, List<Role> list, Instant now) {
        if (knownRoles.size() > 10_000) {
            knownRoles.clear();
        }
        knownRoles.put(environmentId, new KnownRoles(List.copyOf(list), now));
    }

    public UserView createUserAndMembership(String environmentId, String organizationId, NewUser request,
                                            NewMembership membership, boolean sendInvitation) {
        List<Role> known = roles(environmentId);
        List<FieldViolation> violations = new ArrayList<>();
        UserRules.checkEmail("user.email", request.email(), violations);
        UserRules.checkExternalId("user.external_id", request.externalId(), false, violations);
        UserRules.checkMetadata("user.metadata", request.metadata(), violations);
        UserRules.checkProfile("user.user_profile", request.profile(), violations);
        checkMembership("user.membership", membership, known, violations);
        throwIfAny(violations);

        Committed committed = transactions.inTransaction(() -> {
            Organization organization = organization(environmentId, organizationId);
            checkCapacity(organization);
            Instant now = now();
            User user = new User(ids.next(IdPrefix.USER), environmentId, request.email().strip(), !sendInvitation,
                    request.externalId(), request.metadata(), request.profile(), now, now, Optional.empty());
            users.insert(user);
            Membership created = newMembership(user, organization, membership, known, sendInvitation, now);
            memberships.insert(created);
            events.userCreated(user);
            events.membershipCreated(created, user);
            // A new user has exactly this membership: no read back.
            return new Committed(new UserView(user, List.of(created)), organization, user, created);
        });
        if (sendInvitation) {
            invitations.invite(committed.organization(), committed.user(), committed.membership());
        }
        return committed.view();
    }

    public UserView get(String environmentId, UserRef ref) {
        return view(user(environmentId, ref));
    }

    public Page<UserView> list(String environmentId, PageRequest page) {
        return views(environmentId, users.list(environmentId, page));
    }

    public Page<UserView> listInOrganization(String environmentId, String organizationId, PageRequest page) {
        organization(environmentId, organizationId);
        return views(environmentId, users.listInOrganization(environmentId, organizationId, page));
    }

    /** Users whose email, ID or external ID contains {@code query} (3–100 characters, case-insensitive). */
    public Page<UserView> search(String environmentId, String query, PageRequest page) {
        return views(environmentId, users.search(environmentId, searchQuery(query), page));
    }

    public Page<UserView> searchInOrganization(String environmentId, String organizationId, String query, PageRequest page) {
        String checked = searchQuery(query);
        organization(environmentId, organizationId);
        return views(environmentId, users.searchInOrganization(environmentId, organizationId, checked, page));
    }

    public UserView update(String environmentId, UserRef ref, UserPatch patch) {
        List<FieldViolation> violations = new ArrayList<>();
        UserRules.checkExternalId("user.external_id", patch.externalId(), true, violations);
        patch.metadata().ifPresent(m -> UserRules.checkMetadata("user.metadata", m, violations));
        throwIfAny(violations);

        return transactions.inTransaction(() -> {
            User current = user(environmentId, ref);
            UserProfile profile = patch.profile().map(p -> p.applyTo(current.profile())).orElse(current.profile());
            List<FieldViolation> profileViolations = new ArrayList<>();
            UserRules.checkProfile("user.user_profile", profile, profileViolations);
            throwIfAny(profileViolations);
            User updated = new User(current.id(), current.environmentId(), current.email(), current.emailVerified(),
                    patch.externalId().isPresent() ? patch.externalId().filter(v -> !v.isEmpty()) : current.externalId(),
                    patch.metadata().orElse(current.metadata()), profile, current.createTime(), now(),
                    current.lastLoginTime());
            if (!users.update(updated)) {
                throw notFound(ref);
            }
            events.userUpdated(updated);
            return view(updated);
        });
    }

    /** Deletes the user with all their memberships. */
    public void delete(String environmentId, UserRef ref) {
        transactions.inTransaction(() -> {
            User current = user(environmentId, ref);
            List<Membership> removed = memberships.listForUsers(environmentId, List.of(current.id()));
            if (!users.delete(environmentId, current.id())) {
                throw notFound(ref);
            }
            removed.forEach(m -> events.membershipDeleted(m.organizationId(), current));
            events.userDeleted(current);
            return null;
        });
    }

    public UserView createMembership(String environmentId, String organizationId, UserRef ref,
                                     NewMembership membership, boolean sendInvitation) {
        List<Role> known = roles(environmentId);
        List<FieldViolation> violations = new ArrayList<>();
        checkMembership("membership", membership, known, violations);
        throwIfAny(violations);
        Committed[] invited = new Committed[1];
        UserView view = transactions.inTransaction(() -> {
            Organization organization = organization(environmentId, organizationId);
            User user = user(environmentId, ref);
            if (memberships.find(environmentId, organization.id(), user.id()).isPresent()) {
                throw new DomainException.AlreadyExists("organization_id",
                        "user " + user.id() + " is already a member of organization " + organization.id());
            }
            checkCapacity(organization);
            Membership created = newMembership(user, organization, membership, known, sendInvitation, now());
            invited[0] = sendInvitation ? new Committed(null, organization, user, created) : null;
            memberships.insert(created);
            events.membershipCreated(created, user);
            return view(user);
        });
        if (invited[0] != null) {
            invitations.invite(invited[0].organization(), invited[0].user(), invited[0].membership());
        }
        return view;
    }

    public UserView updateMembership(String environmentId, String organizationId, UserRef ref, MembershipPatch patch) {
        List<Role> known = roles(environmentId);
        List<FieldViolation> violations = new ArrayList<>();
        patch.roles().ifPresent(r -> UserRules.checkRoles("membership.roles", r, known, violations));
        patch.metadata().ifPresent(m -> UserRules.checkMetadata("membership.metadata", m, violations));
        throwIfAny(violations);
        return transactions.inTransaction(() -> {
            organization(environmentId, organizationId);
            User user = user(environmentId, ref);
            Membership current = membership(environmentId, organizationId, user.id());
            Membership updated = new Membership(current.environmentId(), current.organizationId(), current.userId(),
                    current.organizationName(), current.storedStatus(),
                    patch.roles().map(UserService::distinct).orElse(current.roles()),
                    patch.metadata().orElse(current.metadata()), current.inviterEmail(), current.joinTime(),
                    current.inviteCreateTime(), current.inviteExpireTime(), current.acceptTime(),
                    current.resentCount(), current.resentAt(), current.createTime(), now());
            if (!memberships.update(updated)) {
                throw membershipNotFound(organizationId, user.id());
            }
            events.membershipUpdated(updated, user);
            return view(user);
        });
    }

    /** Removes the membership; with {@code cascade}, a user left without memberships is deleted too. */
    public void deleteMembership(String environmentId, String organizationId, UserRef ref, boolean cascade) {
        transactions.inTransaction(() -> {
            organization(environmentId, organizationId);
            User user = user(environmentId, ref);
            if (!memberships.delete(environmentId, organizationId, user.id())) {
                throw membershipNotFound(organizationId, user.id());
            }
            events.membershipDeleted(organizationId, user);
            if (cascade && memberships.countForUser(environmentId, user.id()) == 0) {
                users.delete(environmentId, user.id());
                events.userDeleted(user);
            }
            return null;
        });
    }

    /** Renews a pending or expired invitation: a fresh expiry, and the resend counted. */
    public Membership resendInvite(String environmentId, String organizationId, String userId) {
        Committed[] resent = new Committed[1];
        Membership renewedMembership = transactions.inTransaction(() -> {
            Organization organization = organization(environmentId, organizationId);
            User user = user(environmentId, new UserRef.ById(userId));
            Membership current = membership(environmentId, organizationId, user.id());
            MembershipStatus status = current.status(clock.instant());
            if (status != MembershipStatus.PENDING_INVITE && status != MembershipStatus.INVITE_EXPIRED) {
                throw new DomainException.FailedPrecondition(
                        "the membership is " + status + "; only pending or expired invitations can be resent");
            }
            Instant now = now();
            Membership renewed = new Membership(current.environmentId(), current.organizationId(), current.userId(),
                    current.organizationName(), MembershipStatus.PENDING_INVITE, current.roles(), current.metadata(),
                    current.inviterEmail(), current.joinTime(), current.inviteCreateTime(),
                    Optional.of(now.plus(invitationTtl)), current.acceptTime(), current.resentCount() + 1,
                    Optional.of(now), current.createTime(), now);
            memberships.update(renewed);
            events.membershipUpdated(renewed, user);
            resent[0] = new Committed(null, organization, user, renewed);
            return renewed;
        });
        invitations.invite(resent[0].organization(), resent[0].user(), resent[0].membership());
        return renewedMembership;
    }

    /** Adds roles to the user's membership (keeping the ones it has); returns the membership's roles. */
    public List<Role> assignRoles(String environmentId, String organizationId, String userId, List<String> names) {
        List<Role> known = roles(environmentId);
        List<FieldViolation> violations = new ArrayList<>();
        if (names.isEmpty()) {
            violations.add(new FieldViolation("roles", "roles must name at least one role", "repeated.min_items"));
        }
        UserRules.checkRoles("roles", names, known, violations);
        throwIfAny(violations);
        return transactions.inTransaction(() -> {
            organization(environmentId, organizationId);
            User user = user(environmentId, new UserRef.ById(userId));
            Membership current = membership(environmentId, organizationId, user.id());
            List<String> combined = new ArrayList<>(current.roles());
            combined.addAll(names);
            List<String> roleNames = distinct(combined);
            List<FieldViolation> tooMany = new ArrayList<>();
            UserRules.checkRoles("roles", roleNames, known, tooMany);
            throwIfAny(tooMany);
            Membership updated = withRoles(current, roleNames);
            memberships.update(updated);
            events.membershipUpdated(updated, user);
            return resolve(roleNames, known);
        });
    }

    /** Removes one role from the user's membership; NOT_FOUND when the membership does not have it. */
    public void removeRole(String environmentId, String organizationId, String userId, String roleName) {
        transactions.inTransaction(() -> {
            organization(environmentId, organizationId);
            User user = user(environmentId, new UserRef.ById(userId));
            Membership current = membership(environmentId, organizationId, user.id());
            if (!current.roles().contains(roleName)) {
                throw new DomainException.NotFound("the membership has no role '" + roleName + "'");
            }
            List<String> remaining = current.roles().stream().filter(r -> !r.equals(roleName)).toList();
            Membership updated = withRoles(current, remaining);
            memberships.update(updated);
            events.membershipUpdated(updated, user);
            return null;
        });
    }

    private Membership withRoles(Membership current, List<String> roleNames) {
        return new Membership(current.environmentId(), current.organizationId(), current.userId(),
                current.organizationName(), current.storedStatus(), roleNames, current.metadata(),
                current.inviterEmail(), current.joinTime(), current.inviteCreateTime(), current.inviteExpireTime(),
                current.acceptTime(), current.resentCount(), current.resentAt(), current.createTime(), now());
    }

    /** The roles of the user's membership in the organization, resolved against the environment's role list. */
    public List<Role> membershipRoles(String environmentId, String organizationId, String userId) {
        List<Role> known = roles(environmentId);
        organization(environmentId, organizationId);
        User user = user(environmentId, new UserRef.ById(userId));
        return resolve(membership(environmentId, organizationId, user.id()).roles(), known);
    }

    /** Resolves role names against the environment's roles, keeping the membership's order; unknown names are skipped. */
    public static List<Role> resolve(List<String> names, List<Role> known) {
        List<Role> resolved = new ArrayList<>();
        for (String name : names) {
            known.stream().filter(r -> r.name().equals(name)).findFirst().ifPresent(resolved::add);
        }
        return resolved;
    }

    // ---------------------------------------------------------------- directory sync (docs/DECISIONS.md D-L1…D-L8)

    /**
     * Sets a membership ACTIVE or INACTIVE (a directory's {@code active} flag). Activating a pending invitation joins
     * now. Returns the membership as stored afterwards; unchanged when it already has that status.
     */
    public Membership setMembershipStatus(String environmentId, String organizationId, String userId, MembershipStatus status) {
        checkSettableStatus(status);
        return transactions.inTransaction(() -> setMembershipStatus(membership(environmentId, organizationId, userId), status));
    }

    /**
     * As {@link #setMembershipStatus(String, String, String, MembershipStatus)} for a membership the caller has just
     * read in its transaction (a directory sync reads it anyway; no second read).
     */
    public Membership setMembershipStatus(Membership current, MembershipStatus status) {
        checkSettableStatus(status);
        return transactions.inTransaction(() -> {
            if (current.storedStatus() == status) {
                return current;
            }
            Instant now = now();
            Membership updated = new Membership(current.environmentId(), current.organizationId(), current.userId(),
                    current.organizationName(), status, current.roles(), current.metadata(), current.inviterEmail(),
                    status == MembershipStatus.ACTIVE ? current.joinTime().or(() -> Optional.of(now)) : current.joinTime(),
                    current.inviteCreateTime(), current.inviteExpireTime(), current.acceptTime(), current.resentCount(),
                    current.resentAt(), current.createTime(), now);
            memberships.update(updated);
            return updated;
        });
    }

    private static void checkSettableStatus(MembershipStatus status) {
        if (status != MembershipStatus.ACTIVE && status != MembershipStatus.INACTIVE) {
            throw DomainException.InvalidArgument.of("membership_status", "only ACTIVE or INACTIVE can be set", "enum.in");
        }
    }

    /**
     * A directory sync's profile change (D-L3) to a user the caller has just read in its transaction: the profile is
     * checked as in {@link #update}, stored, and {@code user.updated} appended. Returns the user as stored; no second
     * read of the user and no read of its memberships (D-SW2).
     */
    public User updateProfile(User current, UserProfile profile) {
        List<FieldViolation> violations = new ArrayList<>();
        UserRules.checkProfile("user.user_profile", profile, violations);
        throwIfAny(violations);
        return transactions.inTransaction(() -> {
            User updated = new User(current.id(), current.environmentId(), current.email(), current.emailVerified(),
                    current.externalId(), current.metadata(), profile, current.createTime(), now(), current.lastLoginTime());
            if (!users.update(updated)) {
                throw notFound(new UserRef.ById(current.id()));
            }
            events.userUpdated(updated);
            return updated;
        });
    }

    /**
     * Changes a user's email, which the Users API never does (D-U1): for a directory that owns the user (D-L2). The
     * address counts as verified; another user holding it is ALREADY_EXISTS.
     */
    public UserView changeEmail(String environmentId, String userId, String email) {
        List<FieldViolation> violations = new ArrayList<>();
        UserRules.checkEmail("email", email, violations);
        throwIfAny(violations);
        return transactions.inTransaction(() -> {
            User current = user(environmentId, new UserRef.ById(userId));
            if (current.email().equals(email.strip()) && current.emailVerified()) {
                return view(current);
            }
            User updated = new User(current.id(), current.environmentId(), email.strip(), true, current.externalId(),
                    current.metadata(), current.profile(), current.createTime(), now(), current.lastLoginTime());
            users.update(updated);
            return view(updated);
        });
    }

    /** The current time as stored (microseconds), for callers computing membership status. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Sign-up through the hosted login: a user whose address was just proven (email_verified), with no membership
     * yet. An existing user with that address is returned instead (two sign-ups racing for one address).
     */
    public User signUp(String environmentId, String email) {
        return signUp(environmentId, email, UserProfile.empty());
    }

    /** Sign-up with the profile an identity provider asserted (names, locale, picture). */
    public User signUp(String environmentId, String email, UserProfile profile) {
        List<FieldViolation> violations = new ArrayList<>();
        UserRules.checkEmail("email", email, violations);
        throwIfAny(violations);
        try {
            return transactions.inTransaction(() -> {
                Instant now = now();
                User user = new User(ids.next(IdPrefix.USER), environmentId, email.strip(), true, Optional.empty(),
                        Map.of(), profile, now, now, Optional.empty());
                users.insert(user);
                return user;
            });
        } catch (DomainException.AlreadyExists raced) {
            return users.findByEmail(environmentId, email).orElseThrow(() -> raced);
        }
    }

    /**
     * A federated sign-in's custom attributes (D-PR2) on a user the caller has just read: merged as
     * {@link #withAssertedCustomAttributes}, stored with {@code user.updated} when they changed, else {@code current}
     * as it is. Only the custom attributes are written, so a profile field an earlier sign-up took from the IdP as it
     * came never blocks the login.
     */
    public User applyAssertedCustomAttributes(User current, Map<String, String> asserted) {
        Map<String, String> merged = withAssertedCustomAttributes(current.profile().customAttributes(), asserted);
        if (merged.equals(current.profile().customAttributes())) {
            return current;
        }
        return transactions.inTransaction(() -> {
            User updated = new User(current.id(), current.environmentId(), current.email(), current.emailVerified(),
                    current.externalId(), current.metadata(), current.profile().withCustomAttributes(merged),
                    current.createTime(), now(), current.lastLoginTime());
            if (!users.update(updated)) {
                throw notFound(new UserRef.ById(current.id()));
            }
            events.userUpdated(updated);
            return updated;
        });
    }

    /**
     * {@code current} custom attributes with the ones an identity provider {@code asserted} written over them: the IdP
     * is the source of the attributes its connection maps (spec-sso §2.5), the others stay. A pair the Users API would
     * refuse (key 3–25 characters, value 1–256, no control characters) is left out, and new keys stop at the API's
     * 20 pairs, so a login never stores what an API write could not.
     */
    public static Map<String, String> withAssertedCustomAttributes(Map<String, String> current,
                                                                   Map<String, String> asserted) {
        Map<String, String> merged = new LinkedHashMap<>(current);
        asserted.forEach((key, value) -> {
            List<FieldViolation> violations = new ArrayList<>();
            UserRules.checkMetadata("custom_attributes", Map.of(key, value), violations);
            if (violations.isEmpty() && (merged.containsKey(key) || merged.size() < UserRules.METADATA_MAX_PAIRS)) {
                merged.put(key, value);
            }
        });
        return merged;
    }

    /** Whether a user may have this address: the rules of a create (at most 254 characters, the RFC 5322 subset). */
    public static boolean isValidEmail(String email) {
        List<FieldViolation> violations = new ArrayList<>();
        UserRules.checkEmail("email", email, violations);
        return violations.isEmpty();
    }

    public Optional<UserView> findByEmail(String environmentId, String email) {
        return users.findByEmail(environmentId, email).map(this::view);
    }

    public Optional<UserView> findById(String environmentId, String userId) {
        return users.findWithMemberships(environmentId, userId);
    }

    /**
     * A proven sign-in: the address is now verified, the last login time is set, and a pending invitation to
     * {@code organizationId} (if any) is accepted. An expired invitation is not accepted.
     */
    public void recordSignIn(String environmentId, String userId, Optional<String> organizationId) {
        transactions.inTransaction(() -> {
            Instant now = now();
            User user = user(environmentId, new UserRef.ById(userId));
            users.update(new User(user.id(), user.environmentId(), user.email(), true, user.externalId(),
                    user.metadata(), user.profile(), user.createTime(), user.updateTime(), Optional.of(now)));
            organizationId.flatMap(org -> memberships.find(environmentId, org, userId))
                    .filter(m -> m.status(now) == MembershipStatus.PENDING_INVITE)
                    .ifPresent(m -> memberships.update(new Membership(m.environmentId(), m.organizationId(), m.userId(),
                            m.organizationName(), MembershipStatus.ACTIVE, m.roles(), m.metadata(), m.inviterEmail(),
                            Optional.of(now), m.inviteCreateTime(), m.inviteExpireTime(), Optional.of(now),
                            m.resentCount(), m.resentAt(), m.createTime(), now)));
            return null;
        });
    }

    private Membership newMembership(User user, Organization organization, NewMembership request, List<Role> known,
                                     boolean sendInvitation, Instant now) {
        List<String> roleNames = request.roles().isEmpty()
                ? known.stream().filter(Role::defaultMember).map(Role::name).limit(1).toList()
                : distinct(request.roles());
        if (sendInvitation) {
            return new Membership(user.environmentId(), organization.id(), user.id(), Optional.of(organization.displayName()),
                    MembershipStatus.PENDING_INVITE, roleNames, request.metadata(), request.inviterEmail(),
                    Optional.empty(), Optional.of(now), Optional.of(now.plus(invitationTtl)), Optional.empty(), 0,
                    Optional.empty(), now, now);
        }
        return new Membership(user.environmentId(), organization.id(), user.id(), Optional.of(organization.displayName()),
                MembershipStatus.ACTIVE, roleNames, request.metadata(), request.inviterEmail(), Optional.of(now),
                Optional.empty(), Optional.empty(), Optional.empty(), 0, Optional.empty(), now, now);
    }

    private void checkMembership(String field, NewMembership membership, List<Role> known, List<FieldViolation> out) {
        UserRules.checkRoles(field + ".roles", membership.roles(), known, out);
        UserRules.checkMetadata(field + ".metadata", membership.metadata(), out);
        UserRules.checkInviterEmail(field + ".inviter_email", membership.inviterEmail(), out);
    }

    private void checkCapacity(Organization organization) {
        Optional<Integer> max = organization.maxAllowedUsers();
        if (max.isPresent() && memberships.countInOrganization(organization.environmentId(), organization.id()) >= max.get()) {
            throw new DomainException.FailedPrecondition(
                    "organization " + organization.id() + " has reached its max_allowed_users of " + max.get());
        }
    }

    private Organization organization(String environmentId, String organizationId) {
        return organizations.findById(environmentId, organizationId).orElseThrow(() ->
                new DomainException.NotFound("organization " + organizationId + " not found"));
    }

    private User user(String environmentId, UserRef ref) {
        Optional<User> found = switch (ref) {
            case UserRef.ById byId -> users.findById(environmentId, byId.id());
            case UserRef.ByExternalId byExternal -> users.findByExternalId(environmentId, byExternal.externalId());
        };
        return found.orElseThrow(() -> notFound(ref));
    }

    private Membership membership(String environmentId, String organizationId, String userId) {
        return memberships.find(environmentId, organizationId, userId)
                .orElseThrow(() -> membershipNotFound(organizationId, userId));
    }

    private UserView view(User user) {
        return new UserView(user, memberships.listForUsers(user.environmentId(), List.of(user.id())));
    }

    private Page<UserView> views(String environmentId, Page<User> page) {
        List<String> userIds = page.items().stream().map(User::id).toList();
        Map<String, List<Membership>> byUser = new LinkedHashMap<>();
        if (!userIds.isEmpty()) {
            memberships.listForUsers(environmentId, userIds)
                    .forEach(m -> byUser.computeIfAbsent(m.userId(), id -> new ArrayList<>()).add(m));
        }
        List<UserView> views = page.items().stream()
                .map(u -> new UserView(u, byUser.getOrDefault(u.id(), List.of())))
                .toList();
        return new Page<>(views, page.next(), page.previous(), page.totalSize());
    }

    private static String searchQuery(String query) {
        String trimmed = query == null ? "" : query.strip();
        if (trimmed.length() < SEARCH_QUERY_MIN || trimmed.length() > SEARCH_QUERY_MAX) {
            throw DomainException.InvalidArgument.of("query", "query must be between 3 and 100 characters", "string.len");
        }
        return trimmed;
    }

    private static List<String> distinct(List<String> names) {
        return List.copyOf(new LinkedHashSet<>(names));
    }

    private static DomainException.NotFound notFound(UserRef ref) {
        return new DomainException.NotFound(switch (ref) {
            case UserRef.ById byId -> "user " + byId.id() + " not found";
            case UserRef.ByExternalId byExternal -> "user with external_id " + byExternal.externalId() + " not found";
        });
    }

    private static DomainException.NotFound membershipNotFound(String organizationId, String userId) {
        return new DomainException.NotFound("user " + userId + " is not a member of organization " + organizationId);
    }

    private static void throwIfAny(List<FieldViolation> violations) {
        if (!violations.isEmpty()) {
            throw new DomainException.InvalidArgument(violations.getFirst().description(), violations);
        }
    }
}
