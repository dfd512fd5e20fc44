package dev.gatehouse.oauth.token;

import dev.gatehouse.core.login.GrantRepository;
import dev.gatehouse.core.login.Session;
import dev.gatehouse.core.login.SessionRepository;
import dev.gatehouse.core.login.TokenGrant;
import java.time.Clock;
import java.util.Optional;

/**
 * Verifies an access token for userinfo and introspection: the signature and lifetime ({@link AccessTokenVerifier}),
 * then, for user tokens, that their grant is not revoked and their session is still active.
 */
public final class UserTokenVerifier {
    private final AccessTokenVerifier tokens;
    private final GrantRepository grants;
    private final SessionRepository sessions;
    private final Clock clock;

    public UserTokenVerifier(AccessTokenVerifier tokens, GrantRepository grants, SessionRepository sessions, Clock clock) {
        this.tokens = tokens;
        this.grants = grants;
        this.sessions = sessions;
        this.clock = clock;
    }

    public sealed interface Outcome {
        /** {@code grant} is present for user tokens, empty for client-credentials tokens. */
        record Active(AccessTokenVerifier.Verification.Verified token, Optional<TokenGrant> grant) implements Outcome {}

        record Inactive(String reason, Optional<String> environmentId) implements Outcome {}
    }

    public Outcome verify(String accessToken) {
        var verification = tokens.verify(accessToken);
        if (verification instanceof AccessTokenVerifier.Verification.Rejected rejected) {
            return new Outcome.Inactive(rejected.reason(), rejected.environmentId());
        }
        var verified = (AccessTokenVerifier.Verification.Verified) verification;
        String environmentId = verified.environment().id();
        Optional<String> grantId = UserTokenIssuer.grantIdOf(verified.tokenId());
        if (grantId.isEmpty()) {
            return new Outcome.Active(verified, Optional.empty());
        }
        Optional<TokenGrant> grant = grants.findGrant(environmentId, grantId.get());
        if (grant.isEmpty() || grant.get().isRevoked()) {
            return new Outcome.Inactive("grant revoked", Optional.of(environmentId));
        }
        Optional<Session> session = sessions.find(environmentId, grant.get().sessionId());
        if (session.isEmpty() || !session.get().isActive(clock.instant())) {
            return new Outcome.Inactive("session ended", Optional.of(environmentId));
        }
        return new Outcome.Active(verified, grant);
    }
}
