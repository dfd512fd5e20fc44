package dev.gatehouse.core.user;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A user's membership in one organization, with its own roles, metadata and invitation state.
 * {@code organizationName} is filled on reads (it belongs to the organization, not the membership).
 */
public record Membership(
        String environmentId,
        String organizationId,
        String userId,
        Optional<String> organizationName,
        MembershipStatus storedStatus,
        List<String> roles,
        Map<String, String> metadata,
        Optional<String> inviterEmail,
        Optional<Instant> joinTime,
        Optional<Instant> inviteCreateTime,
        Optional<Instant> inviteExpireTime,
        Optional<Instant> acceptTime,
        int resentCount,
        Optional<Instant> resentAt,
        Instant createTime,
        Instant updateTime) {

    public Membership {
        roles = List.copyOf(roles);
        metadata = Map.copyOf(metadata);
    }

    /** The status as callers see it at {@code now}: a pending invitation past its expiry is INVITE_EXPIRED. */
    public MembershipStatus status(Instant now) {
        if (storedStatus == MembershipStatus.PENDING_INVITE
                && inviteExpireTime.map(expiry -> !now.isBefore(expiry)).orElse(false)) {
            return MembershipStatus.INVITE_EXPIRED;
        }
        return storedStatus;
    }
}
