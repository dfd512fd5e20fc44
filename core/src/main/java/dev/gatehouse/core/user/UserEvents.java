package dev.gatehouse.core.user;

import dev.gatehouse.core.event.Event;
import dev.gatehouse.core.event.EventTypes;
import dev.gatehouse.core.event.Json;
import dev.gatehouse.core.event.Outbox;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The {@code user.*} and {@code membership.*} events (payloads in docs/EVENTS.md), appended to the
 * outbox; {@link UserService} calls them inside the transaction of the change. User events are
 * environment-wide ({@code organization_id} null), membership events belong to their organization.
 */
final class UserEvents {
    private final Outbox outbox;
    private final IdGenerator ids;
    private final Clock clock;

    UserEvents(Outbox outbox, IdGenerator ids, Clock clock) {
        this.outbox = outbox;
        this.ids = ids;
        this.clock = clock;
    }

    void userCreated(User user) {
        emit(EventTypes.USER_CREATED, "User", user.environmentId(), Optional.empty(), userData(user));
    }

    void userUpdated(User user) {
        emit(EventTypes.USER_UPDATED, "User", user.environmentId(), Optional.empty(), userData(user));
    }

    void userDeleted(User user) {
        emit(EventTypes.USER_DELETED, "User", user.environmentId(), Optional.empty(), new Json.ObjectWriter()
                .put("id", user.id())
                .put("email", user.email())
                .put("external_id", user.externalId().orElse(null))
                .toString());
    }

    void membershipCreated(Membership membership, User user) {
        emit(EventTypes.MEMBERSHIP_CREATED, "Membership", membership.environmentId(),
                Optional.of(membership.organizationId()), membershipData(membership, user));
    }

    void membershipUpdated(Membership membership, User user) {
        emit(EventTypes.MEMBERSHIP_UPDATED, "Membership", membership.environmentId(),
                Optional.of(membership.organizationId()), membershipData(membership, user));
    }

    void membershipDeleted(String organizationId, User user) {
        emit(EventTypes.MEMBERSHIP_DELETED, "Membership", user.environmentId(), Optional.of(organizationId),
                new Json.ObjectWriter()
                        .put("organization_id", organizationId)
                        .put("user_id", user.id())
                        .put("email", user.email())
                        .toString());
    }

    private void emit(String type, String object, String environmentId, Optional<String> organizationId, String data) {
        outbox.append(new Event(ids.next(IdPrefix.EVENT), object, environmentId, organizationId,
                clock.instant().truncatedTo(ChronoUnit.MICROS), type, data));
    }

    /** {@code data} of user.created and user.updated. */
    static String userData(User u) {
        UserProfile p = u.profile();
        String profile = new Json.ObjectWriter()
                .put("given_name", p.givenName())
                .put("family_name", p.familyName())
                .put("name", p.name())
                .put("first_name", p.firstName())
                .put("last_name", p.lastName())
                .put("locale", p.locale())
                .put("phone_number", p.phoneNumber())
                .put("preferred_username", p.preferredUsername())
                .put("picture", p.picture())
                .put("gender", p.gender())
                .putStrings("groups", p.groups())
                .put("metadata", new java.util.TreeMap<>(p.metadata()))
                .put("custom_attributes", new java.util.TreeMap<>(p.customAttributes()))
                .toString();
        return new Json.ObjectWriter()
                .put("id", u.id())
                .put("email", u.email())
                .put("email_verified", u.emailVerified())
                .put("external_id", u.externalId().orElse(null))
                .put("metadata", new java.util.TreeMap<>(u.metadata()))
                .putRaw("user_profile", profile)
                .put("create_time", u.createTime().toString())
                .put("update_time", u.updateTime().toString())
                .toString();
    }

    /** {@code data} of membership.created and membership.updated; status as of now (INVITE_EXPIRED computed). */
    private String membershipData(Membership m, User user) {
        return new Json.ObjectWriter()
                .put("organization_id", m.organizationId())
                .put("user_id", m.userId())
                .put("email", user.email())
                .put("status", m.status(clock.instant()).name())
                .putStrings("roles", m.roles())
                .put("metadata", new java.util.TreeMap<>(m.metadata()))
                .put("inviter_email", m.inviterEmail().orElse(null))
                .put("join_time", m.joinTime().map(Instant::toString).orElse(null))
                .put("invite_expire_time", m.inviteExpireTime().map(Instant::toString).orElse(null))
                .put("create_time", m.createTime().toString())
                .put("update_time", m.updateTime().toString())
                .toString();
    }
}
