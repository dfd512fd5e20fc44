package dev.gatehouse.http.api.user;

import com.google.protobuf.Timestamp;
import dev.gatehouse.core.login.UserIdentity;
import dev.gatehouse.core.user.Membership;
import dev.gatehouse.core.user.MembershipPatch;
import dev.gatehouse.core.user.MembershipStatus;
import dev.gatehouse.core.user.NewMembership;
import dev.gatehouse.core.user.NewUser;
import dev.gatehouse.core.user.Role;
import dev.gatehouse.core.user.User;
import dev.gatehouse.core.user.UserPatch;
import dev.gatehouse.core.user.UserProfile;
import dev.gatehouse.core.user.UserRef;
import dev.gatehouse.core.user.UserService;
import dev.gatehouse.core.user.UserView;
import dev.gatehouse.http.api.RpcErrors;
import dev.gatehouse.proto.commons.ExternalIdentity;
import dev.gatehouse.proto.commons.IdentityProviderType;
import dev.gatehouse.proto.commons.OrganizationMembership;
import dev.gatehouse.proto.users.CreateMembership;
import dev.gatehouse.proto.users.CreateUser;
import dev.gatehouse.proto.users.CreateUserProfile;
import dev.gatehouse.proto.users.Invite;
import dev.gatehouse.proto.users.UpdateMembership;
import dev.gatehouse.proto.users.UpdateUser;
import dev.gatehouse.proto.users.UpdateUserProfile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Translates between the user protos of the wire and the core's records; checks the shape of IDs. */
final class UserMessages {
    static final int MAX_ID_LENGTH = 32;
    static final int MAX_EXTERNAL_ID_LENGTH = 510;

    private UserMessages() {}

    static String organizationId(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_ID_LENGTH || !value.startsWith("org_")) {
            throw RpcErrors.invalidArgument("organization_id",
                    "organization_id must be an organization ID (org_…) of at most 32 characters", "string.prefix");
        }
        return value;
    }

    static String userId(String field, String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_ID_LENGTH || !value.startsWith("usr_")) {
            throw RpcErrors.invalidArgument(field, field + " must be a user ID (usr_…) of at most 32 characters", "string.prefix");
        }
        return value;
    }

    /** The user named by a request's {@code identities} oneof. */
    static UserRef ref(String id, String externalId, boolean byExternalId) {
        if (byExternalId) {
            if (externalId.isEmpty() || externalId.length() > MAX_EXTERNAL_ID_LENGTH) {
                throw RpcErrors.invalidArgument("external_id", "external_id must be between 1 and 510 characters", "string.len");
            }
            return new UserRef.ByExternalId(externalId);
        }
        return new UserRef.ById(userId("id", id));
    }

    static NewUser toNew(CreateUser proto) {
        return new NewUser(proto.getEmail(),
                proto.hasExternalId() ? Optional.of(proto.getExternalId()) : Optional.empty(),
                proto.getMetadataMap(),
                proto.hasUserProfile() ? profile(proto.getUserProfile()) : UserProfile.empty());
    }

    static NewMembership toNew(CreateMembership proto) {
        return new NewMembership(roleNames(proto.getRolesList()), proto.getMetadataMap(),
                proto.hasInviterEmail() ? Optional.of(proto.getInviterEmail()) : Optional.empty());
    }

    /** Non-empty roles and metadata replace; empty ones keep (the official SDK always sends both, often empty). */
    static MembershipPatch toPatch(UpdateMembership proto) {
        return new MembershipPatch(
                proto.getRolesCount() > 0 ? Optional.of(roleNames(proto.getRolesList())) : Optional.empty(),
                proto.getMetadataCount() > 0 ? Optional.of(proto.getMetadataMap()) : Optional.empty());
    }

    static UserPatch toPatch(UpdateUser proto) {
        return new UserPatch(
                proto.hasExternalId() ? Optional.of(proto.getExternalId()) : Optional.empty(),
                proto.getMetadataCount() > 0 ? Optional.of(proto.getMetadataMap()) : Optional.empty(),
                proto.hasUserProfile() ? Optional.of(profilePatch(proto.getUserProfile())) : Optional.empty());
    }

    private static List<String> roleNames(List<dev.gatehouse.proto.commons.Role> roles) {
        return roles.stream().map(r -> r.getName().isEmpty() ? r.getId() : r.getName()).toList();
    }

    private static UserProfile profile(CreateUserProfile p) {
        return new UserProfile(p.getGivenName(), p.getFamilyName(), p.getName(), p.getLocale(), p.getPhoneNumber(),
                p.getFirstName(), p.getLastName(), p.getPreferredUsername(), p.getPicture(), p.getGender(),
                p.getGroupsList(), p.getMetadataMap(), p.getCustomAttributesMap());
    }

    private static UserPatch.ProfilePatch profilePatch(UpdateUserProfile p) {
        return new UserPatch.ProfilePatch(
                p.hasGivenName() ? Optional.of(p.getGivenName()) : Optional.empty(),
                p.hasFamilyName() ? Optional.of(p.getFamilyName()) : Optional.empty(),
                p.hasName() ? Optional.of(p.getName()) : Optional.empty(),
                p.hasLocale() ? Optional.of(p.getLocale()) : Optional.empty(),
                p.hasPhoneNumber() ? Optional.of(p.getPhoneNumber()) : Optional.empty(),
                p.hasFirstName() ? Optional.of(p.getFirstName()) : Optional.empty(),
                p.hasLastName() ? Optional.of(p.getLastName()) : Optional.empty(),
                p.hasPreferredUsername() ? Optional.of(p.getPreferredUsername()) : Optional.empty(),
                p.hasPicture() ? Optional.of(p.getPicture()) : Optional.empty(),
                p.hasGender() ? Optional.of(p.getGender()) : Optional.empty(),
                p.getGroupsCount() > 0 ? Optional.of(p.getGroupsList()) : Optional.empty(),
                p.getMetadataCount() > 0 ? Optional.of(p.getMetadataMap()) : Optional.empty(),
                p.getCustomAttributesCount() > 0 ? Optional.of(p.getCustomAttributesMap()) : Optional.empty());
    }

    /** The user as the API shows it; {@code identities} are the user's linked identities (external_identities). */
    static dev.gatehouse.proto.users.User toProto(UserView view, List<Role> roles, List<UserIdentity> identities,
                                                  Instant now) {
        User u = view.user();
        UserProfile p = u.profile();
        var profile = dev.gatehouse.proto.commons.UserProfile.newBuilder()
                .setGivenName(p.givenName()).setFamilyName(p.familyName()).setName(p.name()).setLocale(p.locale())
                .setEmailVerified(u.emailVerified()).setPhoneNumber(p.phoneNumber())
                .putAllMetadata(p.metadata()).putAllCustomAttributes(p.customAttributes())
                .setPreferredUsername(p.preferredUsername()).setPicture(p.picture()).addAllGroups(p.groups())
                .setGender(p.gender()).setFirstName(p.firstName()).setLastName(p.lastName());
        identities.forEach(identity -> profile.addExternalIdentities(externalIdentity(identity)));
        var builder = dev.gatehouse.proto.users.User.newBuilder()
                .setId(u.id())
                .setEnvironmentId(u.environmentId())
                .setCreateTime(timestamp(u.createTime()))
                .setUpdateTime(timestamp(u.updateTime()))
                .setEmail(u.email())
                .setUserProfile(profile)
                .putAllMetadata(u.metadata());
        u.externalId().ifPresent(builder::setExternalId);
        u.lastLoginTime().ifPresent(t -> builder.setLastLoginTime(timestamp(t)));
        view.memberships().forEach(m -> builder.addMemberships(membership(m, roles, now)));
        return builder.build();
    }

    /**
     * A linked identity as {@code scalekit.v1.commons.ExternalIdentity} (D-PR1): the connection, its type and provider,
     * the IdP's ID of the user, whether it is social, and its link and last-login times. The proto has no field for
     * raw attributes; they travel in the ID token's {@code identities}.
     */
    static ExternalIdentity externalIdentity(UserIdentity identity) {
        IdentityProviderType provider;
        try {
            provider = IdentityProviderType.valueOf(identity.providerName());
        } catch (IllegalArgumentException notOnTheWire) {
            provider = IdentityProviderType.IDENTITY_PROVIDER_UNSPECIFIED;
        }
        return ExternalIdentity.newBuilder()
                .setConnectionId(identity.connectionId())
                .setConnectionType(identity.connectionType())
                .setConnectionProvider(provider)
                .setConnectionUserId(identity.subject())
                .setIsSocial(identity.social())
                .setCreatedTime(timestamp(identity.createTime()))
                .setLastLoginTime(timestamp(identity.lastLoginTime()))
                .setLastSyncedTime(timestamp(identity.lastLoginTime()))
                .build();
    }

    private static OrganizationMembership membership(Membership m, List<Role> roles, Instant now) {
        var builder = OrganizationMembership.newBuilder()
                .setOrganizationId(m.organizationId())
                .setMembershipStatus(status(m.status(now)))
                .putAllMetadata(m.metadata());
        UserService.resolve(m.roles(), roles).forEach(r -> builder.addRoles(role(r)));
        m.organizationName().ifPresent(name -> builder.setName(name).setDisplayName(name));
        m.joinTime().ifPresent(t -> builder.setJoinTime(timestamp(t)));
        m.inviterEmail().ifPresent(builder::setInviterEmail);
        m.inviteCreateTime().ifPresent(t -> builder.setCreatedAt(timestamp(t)));
        m.acceptTime().ifPresent(t -> builder.setAcceptedAt(timestamp(t)));
        m.inviteExpireTime().ifPresent(t -> builder.setExpiresAt(timestamp(t)));
        return builder.build();
    }

    static dev.gatehouse.proto.commons.Role role(Role r) {
        return dev.gatehouse.proto.commons.Role.newBuilder().setId(r.id()).setName(r.name()).setDisplayName(r.displayName()).build();
    }

    static Invite invite(Membership m, Instant now) {
        var builder = Invite.newBuilder()
                .setOrganizationId(m.organizationId())
                .setUserId(m.userId())
                .setStatus(m.status(now).name())
                .setResentCount(m.resentCount());
        m.inviterEmail().ifPresent(builder::setInviterEmail);
        m.inviteCreateTime().ifPresent(t -> builder.setCreatedAt(timestamp(t)));
        m.inviteExpireTime().ifPresent(t -> builder.setExpiresAt(timestamp(t)));
        m.resentAt().ifPresent(t -> builder.setResentAt(timestamp(t)));
        return builder.build();
    }

    private static dev.gatehouse.proto.commons.MembershipStatus status(MembershipStatus status) {
        return switch (status) {
            case ACTIVE -> dev.gatehouse.proto.commons.MembershipStatus.ACTIVE;
            case INACTIVE -> dev.gatehouse.proto.commons.MembershipStatus.INACTIVE;
            case PENDING_INVITE -> dev.gatehouse.proto.commons.MembershipStatus.PENDING_INVITE;
            case INVITE_EXPIRED -> dev.gatehouse.proto.commons.MembershipStatus.INVITE_EXPIRED;
        };
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

}
