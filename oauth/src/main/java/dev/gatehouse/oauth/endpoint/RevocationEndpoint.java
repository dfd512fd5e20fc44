package dev.gatehouse.oauth.endpoint;

import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.credential.EnvironmentClientService;
import dev.gatehouse.core.credential.SecretHash;
import dev.gatehouse.core.login.GrantRepository;
import dev.gatehouse.core.wire.WireRequest;
import dev.gatehouse.core.wire.WireResponse;
import dev.gatehouse.oauth.token.AccessTokenVerifier;
import dev.gatehouse.oauth.token.UserTokenIssuer;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * RFC 7009 revocation. Revoking a refresh token or a user access token revokes its whole grant (every token issued
 * from the same code). The answer is 200 whether or not the token was known (§2.2); only the client's own tokens are
 * touched.
 */
public final class RevocationEndpoint {
    private final EnvironmentClientService clients;
    private final AccessTokenVerifier tokens;
    private final GrantRepository grants;
    private final AuditTrail audit;
    private final Clock clock;

    public RevocationEndpoint(EnvironmentClientService clients, AccessTokenVerifier tokens, GrantRepository grants,
                              AuditTrail audit, Clock clock) {
        this.clients = clients;
        this.tokens = tokens;
        this.grants = grants;
        this.audit = audit;
        this.clock = clock;
    }

    public WireResponse handle(WireRequest request) {
        var caller = CallerAuthentication.authenticate(request, clients);
        if (caller instanceof CallerAuthentication.Result.Refused refused) {
            audit.append(new AuditRecord(clock.instant(), refused.environmentId(), Optional.empty(),
                    "oauth.revoke.rejected", AuditRecord.Outcome.FAILURE, refused.clientId(),
                    Optional.of(refused.reason()), Optional.ofNullable(request.remoteAddress()), Map.of()));
            return refused.error().toResponse();
        }
        var authenticated = (CallerAuthentication.Result.Authenticated) caller;
        String token = authenticated.parameter("token");
        if (token.isEmpty()) {
            return OAuthError.of(com.nimbusds.oauth2.sdk.OAuth2Error.INVALID_REQUEST, "token is required").toResponse();
        }
        String environmentId = authenticated.environmentId();
        Optional<String> grantId;
        if (token.startsWith(UserGrants.REFRESH_TOKEN_PREFIX)) {
            grantId = grants.findRefreshToken(SecretHash.of(token).hex())
                    .filter(t -> t.environmentId().equals(environmentId)).map(t -> t.grantId());
        } else if (tokens.verify(token) instanceof AccessTokenVerifier.Verification.Verified verified
                && verified.environment().id().equals(environmentId)) {
            grantId = UserTokenIssuer.grantIdOf(verified.tokenId());
        } else {
            grantId = Optional.empty();
        }
        grantId.flatMap(id -> grants.findGrant(environmentId, id))
                .filter(grant -> grant.clientId().equals(authenticated.clientId()))
                .ifPresent(grant -> {
                    grants.revokeGrant(environmentId, grant.id(), clock.instant(), "revoked by client (RFC 7009)");
                    audit.append(new AuditRecord(clock.instant(), Optional.of(environmentId), grant.organizationId(),
                            "oauth.grant.revoked", AuditRecord.Outcome.SUCCESS, Optional.of(authenticated.clientId()),
                            Optional.of("RFC 7009 revocation"), Optional.ofNullable(request.remoteAddress()),
                            Map.of("grant_id", grant.id(), "user_id", grant.userId())));
                });
        return new WireResponse(200, Map.of("cache-control", "no-store"), "application/json;charset=utf-8", "{}");
    }
}
