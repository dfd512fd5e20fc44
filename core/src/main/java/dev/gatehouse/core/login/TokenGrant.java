package dev.gatehouse.core.login;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one authorization code grants ({@code grt_…}): a user, in an organization, to a client, within a session.
 * Every token issued from the code and from its refresh-token chain belongs to the grant, so revoking the grant
 * (code replay, refresh-token reuse, RFC 7009 revocation, logout) ends all of them at once.
 */
public record TokenGrant(
        String id,
        String environmentId,
        String clientId,
        String sessionId,
        String userId,
        Optional<String> organizationId,
        List<String> scopes,
        Optional<String> nonce,
        List<String> amr,
        Instant authTime,
        Instant createTime,
        Optional<Instant> revokeTime,
        Optional<String> revokeReason) {

    public TokenGrant {
        scopes = List.copyOf(scopes);
        amr = List.copyOf(amr);
    }

    public boolean isRevoked() {
        return revokeTime.isPresent();
    }
}
