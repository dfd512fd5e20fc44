package dev.gatehouse.oauth.endpoint;

import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.login.UserIdentityRepository;
import dev.gatehouse.core.user.User;
import dev.gatehouse.core.user.UserService;
import dev.gatehouse.core.wire.WireRequest;
import dev.gatehouse.core.wire.WireResponse;
import dev.gatehouse.oauth.token.IdentitiesClaim;
import dev.gatehouse.oauth.token.UserTokenIssuer;
import dev.gatehouse.oauth.token.UserTokenVerifier;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.minidev.json.JSONObject;

/**
 * OIDC Core §5.3 userinfo: the user's claims for the access token's scopes (with {@code profile}, as in the ID token,
 * {@code identities} and {@code custom_attributes}); RFC 6750 errors.
 */
public final class UserInfoEndpoint {
    private final UserTokenVerifier verifier;
    private final UserService users;
    private final UserIdentityRepository identities;
    private final AuditTrail audit;
    private final Clock clock;

    public UserInfoEndpoint(UserTokenVerifier verifier, UserService users, UserIdentityRepository identities,
                            AuditTrail audit, Clock clock) {
        this.verifier = verifier;
        this.users = users;
        this.identities = identities;
        this.audit = audit;
        this.clock = clock;
    }

    public WireResponse handle(WireRequest request) {
        Optional<String> token = BearerTokens.from(request);
        if (token.isEmpty()) {
            return BearerTokens.challenge(401, "invalid_request", "An access token is required");
        }
        var outcome = verifier.verify(token.get());
        if (outcome instanceof UserTokenVerifier.Outcome.Inactive inactive) {
            audit.append(new AuditRecord(clock.instant(), inactive.environmentId(), Optional.empty(),
                    "oauth.userinfo.rejected", AuditRecord.Outcome.FAILURE, Optional.empty(),
                    Optional.of(inactive.reason()), Optional.ofNullable(request.remoteAddress()), Map.of()));
            return BearerTokens.challenge(401, "invalid_token", "The access token is invalid, expired or revoked");
        }
        var active = (UserTokenVerifier.Outcome.Active) outcome;
        if (active.grant().isEmpty() || !active.grant().get().scopes().contains("openid")) {
            return BearerTokens.challenge(403, "insufficient_scope", "The token was not issued with the openid scope");
        }
        var grant = active.grant().get();
        Optional<User> user = users.findById(grant.environmentId(), grant.userId()).map(v -> v.user());
        if (user.isEmpty()) {
            return BearerTokens.challenge(401, "invalid_token", "The user no longer exists");
        }
        JSONObject claims = new JSONObject();
        claims.put("sub", user.get().id());
        List<String> scopes = active.token().scopes();
        if (scopes.contains("email")) {
            claims.put("email", user.get().email());
            claims.put("email_verified", user.get().emailVerified());
        }
        if (scopes.contains("profile")) {
            claims.putAll(UserTokenIssuer.profileClaims(user.get()));
            claims.put(IdentitiesClaim.NAME,
                    IdentitiesClaim.of(identities.listForUser(grant.environmentId(), grant.userId())).value());
        }
        grant.organizationId().ifPresent(org -> claims.put("oid", org));
        return new WireResponse(200, Map.of("cache-control", "no-store"), "application/json;charset=utf-8",
                claims.toJSONString());
    }
}
