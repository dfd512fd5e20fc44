package dev.gatehouse.core.login;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Grants, their authorization codes and their refresh tokens. Lookups by hash are global: hashes are unique. */
public interface GrantRepository {
    void insertGrant(TokenGrant grant);

    Optional<TokenGrant> findGrant(String environmentId, String grantId);

    /** Revokes the grant (first revocation wins; its time and reason stay). */
    void revokeGrant(String environmentId, String grantId, Instant now, String reason);

    int revokeGrantsOfSession(String environmentId, String sessionId, Instant now, String reason);

    /** The distinct (client, organization) pairs of the grants issued in these sessions, revoked ones included. */
    List<SessionClient> clientsOfSessions(String environmentId, Collection<String> sessionIds);

    void insertCode(AuthorizationCode code);

    Optional<AuthorizationCode> findCode(String codeHash);

    /**
     * The environment's authorization code with this hash, its grant and the grant's session, in one read; empty when
     * the environment has no such code.
     */
    Optional<CodeWithGrant> findCodeWithGrant(String environmentId, String codeHash);

    /** Marks the code used; false when it already was (a replay). */
    boolean useCode(String codeHash, Instant now);

    void insertRefreshToken(RefreshToken token);

    Optional<RefreshToken> findRefreshToken(String tokenHash);

    /**
     * The environment's refresh token with this hash, its grant and the grant's session, in one read; empty when there
     * is no such token.
     */
    Optional<RefreshTokenWithGrant> findRefreshTokenWithGrant(String environmentId, String tokenHash);

    /** Marks the refresh token used; false when it already was (reuse). */
    boolean useRefreshToken(String tokenHash, Instant now);

    /**
     * Marks {@code usedHash} used and stores its {@code successor}, both or neither (one transaction); false, with
     * nothing stored, when the token already was used (reuse).
     */
    boolean rotateRefreshToken(String usedHash, Instant now, RefreshToken successor);

    /** Housekeeping, every environment: deletes codes and refresh tokens that expired before {@code cutoff}. */
    int deleteExpiredBefore(Instant cutoff);
}
