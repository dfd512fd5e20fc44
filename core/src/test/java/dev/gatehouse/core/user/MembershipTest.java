package dev.gatehouse.core.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MembershipTest {
    private static final Instant CREATED = Instant.parse("2025-06-01T00:00:00Z");
    private static final Instant EXPIRES = Instant.parse("2025-06-16T00:00:00Z");

    private static Membership pending() {
        return new Membership("env_1", "org_1", "usr_1", Optional.empty(), MembershipStatus.PENDING_INVITE,
                List.of("member"), Map.of(), Optional.empty(), Optional.empty(), Optional.of(CREATED),
                Optional.of(EXPIRES), Optional.empty(), 0, Optional.empty(), CREATED, CREATED);
    }

    @Test
    void statusWhenPendingBeforeExpiryThenPendingInvite() {
        assertThat(pending().status(EXPIRES.minusNanos(1000))).isEqualTo(MembershipStatus.PENDING_INVITE);
    }

    @Test
    void statusWhenPendingAtOrAfterExpiryThenInviteExpired() {
        assertThat(pending().status(EXPIRES)).isEqualTo(MembershipStatus.INVITE_EXPIRED);
        assertThat(pending().status(EXPIRES.plusSeconds(3600))).isEqualTo(MembershipStatus.INVITE_EXPIRED);
    }

    @Test
    void statusWhenActiveThenActiveWhateverTheTime() {
        Membership p = pending();
        Membership active = new Membership(p.environmentId(), p.organizationId(), p.userId(), p.organizationName(),
                MembershipStatus.ACTIVE, p.roles(), p.metadata(), p.inviterEmail(), Optional.of(CREATED),
                p.inviteCreateTime(), p.inviteExpireTime(), Optional.of(CREATED), 0, Optional.empty(), CREATED, CREATED);
        assertThat(active.status(EXPIRES.plusSeconds(86_400))).isEqualTo(MembershipStatus.ACTIVE);
    }
}
