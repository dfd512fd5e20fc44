package dev.gatehouse.oauth.endpoint;

import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.credential.EnvironmentClientService;
import dev.gatehouse.core.credential.SecretHash;
import dev.gatehouse.core.login.GrantRepository;
import dev.gatehouse.core.login.Session;
import dev.gatehouse.core.login.SessionRepository;
import dev.gatehouse.core.login.TokenGrant;
import dev.gatehouse.core.wire.WireRequest;
import dev.gatehouse.core.wire.WireResponse;
import dev.gatehouse.oauth.token.UserTokenVerifier;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import net.minidev.json.JSONObject;

/**
 * RFC 7662 token introspection for the environment's clients. Access tokens are active while their signature,
 * lifetime, grant and session hold; refresh tokens while unused, unexpired and their grant and session hold. A token
 * of another environment is simply inactive.
 */
public final class IntrospectionEndpoint {
    private final EnvironmentClientService clients;
    private final UserTokenVerifier verifier;
    private final GrantRepository grants;
    private final SessionRepository sessions;
    private final AuditTrail audit;
    private final Clock clock;

    public IntrospectionEndpoint(EnvironmentClientService clients, UserTokenVerifier verifier, GrantRepository grants,
                                 SessionRepository sessions, AuditTrail audit, Clock clock) {
        this.clients = clients;
        this.verifier = verifier;
        this.grants = grants;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    public WireResponse handle(WireRequest request) {
        var caller = CallerAuthentication.authenticate(request, clients);
        if (caller instanceof CallerAuthentication.Result.Refused refused) {
            audit.append(new AuditRecord(clock.instant(), refused.environmentId(), Optional.empty(),
                    "oauth.introspect.rejected", AuditRecord.Outcome.FAILURE, refused.clientId(),
                    Optional.of(refused.reason()), Optional.ofNullable(request.remoteAddress()), Map.of()));
            return refused.error().toResponse();
        }
        var authenticated = (CallerAuthentication.Result.Authenticated) caller;
        String token = authenticated.parameter("token");
        if (token.isEmpty()) {
            return OAuthError.of(com.nimbusds.oauth2.sdk.OAuth2Error.INVALID_REQUEST, "token is required").toResponse();
        }
        JSONObject answer = token.startsWith(UserGrants.REFRESH_TOKEN_PREFIX)
                ? refreshToken(authenticated.environmentId(), token)
                : accessToken(authenticated.environmentId(), token);
        return WireResponse.noStoreJson(200, answer.toJSONString(), Map.of());
    }

    private JSONObject accessToken(String environmentId, String token) {
        var outcome = verifier.verify(token);
        if (!(outcome instanceof UserTokenVerifier.Outcome.Active active)
                || !active.token().environment().id().equals(environmentId)) {
            return inactive();
        }
        JSONObject json = new JSONObject();
        json.put("active", true);
        json.put("token_type", "Bearer");
        var claims = active.token().claims();
        json.put("scope", String.join(" ", active.token().scopes()));
        json.put("client_id", active.token().clientId());
        json.put("sub", claims.getSubject());
        json.put("iss", claims.getIssuer());
        json.put("jti", claims.getJWTID());
        json.put("exp", claims.getExpirationTime().toInstant().getEpochSecond());
        if (claims.getIssueTime() != null) {
            json.put("iat", claims.getIssueTime().toInstant().getEpochSecond());
        }
        if (claims.getAudience() != null && !claims.getAudience().isEmpty()) {
            json.put("aud", claims.getAudience());
        }
        for (String name : java.util.List.of("sid", "oid", "roles", "xuid")) {
            Object value = claims.getClaim(name);
            if (value != null) {
                json.put(name, value);
            }
        }
        return json;
    }

    private JSONObject refreshToken(String environmentId, String token) {
        Instant now = clock.instant();
        var stored = grants.findRefreshToken(SecretHash.of(token).hex())
                .filter(t -> t.environmentId().equals(environmentId))
                .filter(t -> t.useTime().isEmpty() && now.isBefore(t.expireTime()));
        if (stored.isEmpty()) {
            return inactive();
        }
        Optional<TokenGrant> grant = grants.findGrant(environmentId, stored.get().grantId()).filter(g -> !g.isRevoked());
        Optional<Session> session = grant.flatMap(g -> sessions.find(environmentId, g.sessionId()))
                .filter(s -> s.isActive(now));
        if (session.isEmpty()) {
            return inactive();
        }
        JSONObject json = new JSONObject();
        json.put("active", true);
        json.put("token_type", "refresh_token");
        json.put("scope", String.join(" ", grant.get().scopes()));
        json.put("client_id", grant.get().clientId());
        json.put("sub", grant.get().userId());
        json.put("sid", grant.get().sessionId());
        grant.get().organizationId().ifPresent(org -> json.put("oid", org));
        json.put("exp", stored.get().expireTime().getEpochSecond());
        json.put("iat", stored.get().createTime().getEpochSecond());
        return json;
    }

    private static JSONObject inactive() {
        JSONObject json = new JSONObject();
        json.put("active", false);
        return json;
    }
}
