package dev.gatehouse.oauth.endpoint;

import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.gatehouse.core.client.AppClient;
import dev.gatehouse.core.client.AppClientDirectory;
import dev.gatehouse.core.credential.EnvironmentClientService;
import dev.gatehouse.core.credential.SecretGenerator;
import dev.gatehouse.core.credential.SecretHash;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.environment.EnvironmentDirectory;
import dev.gatehouse.core.login.AuthorizationCode;
import dev.gatehouse.core.login.CodeWithGrant;
import dev.gatehouse.core.login.GrantRepository;
import dev.gatehouse.core.login.LoginService;
import dev.gatehouse.core.login.LoginSettings;
import dev.gatehouse.core.login.RefreshToken;
import dev.gatehouse.core.login.RefreshTokenWithGrant;
import dev.gatehouse.core.login.Session;
import dev.gatehouse.core.login.SessionRepository;
import dev.gatehouse.core.login.TokenGrant;
import dev.gatehouse.core.login.UserIdentity;
import dev.gatehouse.core.login.UserIdentityRepository;
import dev.gatehouse.core.shared.Transactions;
import dev.gatehouse.core.user.Membership;
import dev.gatehouse.core.user.MembershipStatus;
import dev.gatehouse.core.user.User;
import dev.gatehouse.core.user.UserRepository;
import dev.gatehouse.core.user.UserWithMembership;
import dev.gatehouse.core.wire.WireRequest;
import dev.gatehouse.core.wire.WireResponse;
import dev.gatehouse.oauth.token.UserTokenIssuer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.minidev.json.JSONObject;

/**
 * The user grants of {@code /oauth/token}: {@code authorization_code} (one use, 5 minutes, bound to client,
 * redirect URI and PKCE verifier; a replay revokes the grant) and {@code refresh_token} (rotated on every use; a
 * reused token revokes the whole grant). A client without a secret (public) must have used PKCE.
 */
public final class UserGrants {
    public static final String REFRESH_TOKEN_PREFIX = "rt_";

    private final EnvironmentClientService clients;
    private final AppClientDirectory appClients;
    private final EnvironmentDirectory environments;
    private final GrantRepository grants;
    private final SessionRepository sessions;
    private final LoginService logins;
    private final UserRepository users;
    private final UserIdentityRepository identities;
    private final Transactions transactions;
    private final UserTokenIssuer issuer;
    private final SecretGenerator secrets;
    private final Clock clock;

    /**
     * {@code users} are read directly (one user row, with the grant organization's membership in the same read when
     * the grant has one, D-TP9; the user's linked {@code identities} only when an ID token with the {@code profile}
     * scope is issued, D-PR1), and every read and write of one request shares one transaction (D-TP6).
     */
    public UserGrants(EnvironmentClientService clients, AppClientDirectory appClients, EnvironmentDirectory environments,
                      GrantRepository grants, SessionRepository sessions, LoginService logins, UserRepository users,
                      UserIdentityRepository identities, Transactions transactions,
                      UserTokenIssuer issuer, SecretGenerator secrets, Clock clock) {
        this.clients = clients;
        this.appClients = appClients;
        this.environments = environments;
        this.grants = grants;
        this.sessions = sessions;
        this.logins = logins;
        this.users = users;
        this.identities = identities;
        this.transactions = transactions;
        this.issuer = issuer;
        this.secrets = secrets;
        this.clock = clock;
    }

    public sealed interface Result {
        record Issued(WireResponse response) implements Result {}

        record Refused(Optional<String> environmentId, Optional<String> clientId, OAuthError error, String reason)
                implements Result {}
    }

    public static boolean handles(TokenRequest request) {
        return request.getAuthorizationGrant() instanceof AuthorizationCodeGrant
                || request.getAuthorizationGrant() instanceof RefreshTokenGrant;
    }

    /** The client, authenticated by its secret, or identified by ID alone when it sent none (a public client). */
    private record Caller(Environment environment, AppClient client, boolean authenticated) {}

    public Result handle(WireRequest wire, TokenRequest request) {
        ClientAuthentication authentication = request.getClientAuthentication();
        boolean triedBasic = authentication != null
                && ClientAuthenticationMethod.CLIENT_SECRET_BASIC.equals(authentication.getMethod());
        String clientId = authentication != null ? authentication.getClientID().getValue()
                : request.getClientID() == null ? null : request.getClientID().getValue();
        if (clientId == null) {
            return new Result.Refused(Optional.empty(), Optional.empty(), OAuthError.invalidClient(false), "no client_id");
        }
        Environment environment;
        boolean authenticated;
        if (authentication != null) {
            String secret = switch (authentication) {
                case ClientSecretBasic basic -> basic.getClientSecret().getValue();
                case ClientSecretPost post -> post.getClientSecret().getValue();
                default -> null;
            };
            var outcome = clients.authenticate(clientId, secret);
            if (outcome instanceof dev.gatehouse.core.credential.ClientAuthentication.Rejected rejected) {
                return new Result.Refused(rejected.environmentId(), Optional.of(clientId),
                        OAuthError.invalidClient(triedBasic), rejected.reason());
            }
            String environmentId = ((dev.gatehouse.core.credential.ClientAuthentication.Authenticated) outcome)
                    .client().environmentId();
            Optional<Environment> found = environments.byId(environmentId);
            if (found.isEmpty()) {
                return new Result.Refused(Optional.of(environmentId), Optional.of(clientId),
                        OAuthError.invalidClient(triedBasic), "client's environment does not exist");
            }
            environment = found.get();
            authenticated = true;
        } else {
            Optional<Environment> found = environments.byAuthority(authorityOf(wire.url()));
            if (found.isEmpty()) {
                return new Result.Refused(Optional.empty(), Optional.of(clientId), OAuthError.invalidClient(false),
                        "no environment at this address");
            }
            environment = found.get();
            authenticated = false;
        }
        Optional<AppClient> client = appClients.find(environment.id(), clientId);
        if (client.isEmpty()) {
            return new Result.Refused(Optional.of(environment.id()), Optional.of(clientId),
                    authenticated ? OAuthError.of(OAuth2Error.UNAUTHORIZED_CLIENT, "This client may not use user grants")
                            : OAuthError.invalidClient(false),
                    authenticated ? "not an application client" : "unknown public client");
        }
        Caller caller = new Caller(environment, client.get(), authenticated);
        // Read before the transaction: inside one, the settings are read from storage instead of the cache (D-TP3).
        LoginSettings settings = logins.settings(environment.id());
        // Every check, the code's use or the refresh token's rotation, and any revocation share one transaction (one
        // connection, one commit); the signatures come after it, so no transaction waits for a signing permit.
        Checked checked = transactions.inTransaction(() -> switch (request.getAuthorizationGrant()) {
            case AuthorizationCodeGrant code -> exchangeCode(caller, settings, code);
            case RefreshTokenGrant refresh -> refresh(caller, settings, refresh, request.getScope());
            default -> throw new IllegalArgumentException("not a user grant");
        });
        return switch (checked) {
            case Checked.Refused refused -> refused.result();
            case Checked.Ready ready -> sign(caller, settings, ready);
        };
    }

    /** The outcome of the stored part of a grant: refused, or what the signatures need. */
    private sealed interface Checked {
        record Refused(Result.Refused result) implements Checked {}

        record Ready(TokenGrant grant, User user, List<String> roles, List<UserIdentity> identities,
                     Optional<String> authorizationCode, Optional<String> refreshToken, Instant now)
                implements Checked {
            @Override
            public String toString() {
                return "Ready[grant=" + grant.id() + ", redacted]";
            }
        }
    }

    private Checked exchangeCode(Caller caller, LoginSettings settings, AuthorizationCodeGrant grant) {
        String environmentId = caller.environment().id();
        String clientId = caller.client().clientId();
        String codeHash = SecretHash.of(grant.getAuthorizationCode().getValue()).hex();
        // the code, its grant and the grant's session in one read
        Optional<CodeWithGrant> stored = grants.findCodeWithGrant(environmentId, codeHash);
        if (stored.isEmpty()) {
            return invalidGrant(caller, "unknown authorization code");
        }
        AuthorizationCode code = stored.get().code();
        Optional<TokenGrant> tokenGrant = stored.get().grant();
        if (tokenGrant.isEmpty() || !tokenGrant.get().clientId().equals(clientId)) {
            return invalidGrant(caller, "authorization code was issued to another client");
        }
        Instant now = now();
        if (!grants.useCode(codeHash, now)) {
            grants.revokeGrant(environmentId, code.grantId(), now, "authorization code replayed");
            return invalidGrant(caller, "authorization code replayed; grant " + code.grantId() + " revoked");
        }
        if (!now.isBefore(code.expireTime())) {
            return invalidGrant(caller, "authorization code expired");
        }
        URI redirect = grant.getRedirectionURI();
        if (redirect == null || !redirect.toString().equals(code.redirectUri())) {
            return invalidGrant(caller, "redirect_uri does not match the authorization request");
        }
        CodeVerifier verifier = grant.getCodeVerifier();
        if (code.codeChallenge().isPresent()) {
            if (verifier == null) {
                return invalidGrant(caller, "code_verifier missing");
            }
            String computed = CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue();
            if (!MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                    code.codeChallenge().get().getBytes(StandardCharsets.US_ASCII))) {
                return invalidGrant(caller, "code_verifier does not match the code_challenge");
            }
        } else if (!caller.authenticated()) {
            return invalidGrant(caller, "a public client must use PKCE");
        } else if (verifier != null) {
            return invalidGrant(caller, "code_verifier sent but the authorization request had no code_challenge");
        }
        return check(caller, settings, tokenGrant.get(), stored.get().session(), tokenGrant.get().scopes(), now,
                Optional.empty(), Optional.of(grant.getAuthorizationCode().getValue()));
    }

    private Checked refresh(Caller caller, LoginSettings settings, RefreshTokenGrant grant, Scope requestedScope) {
        String environmentId = caller.environment().id();
        String tokenHash = SecretHash.of(grant.getRefreshToken().getValue()).hex();
        // the token, its grant and the grant's session in one read
        Optional<RefreshTokenWithGrant> stored = grants.findRefreshTokenWithGrant(environmentId, tokenHash);
        if (stored.isEmpty()) {
            return invalidGrant(caller, "unknown refresh token");
        }
        RefreshToken token = stored.get().token();
        TokenGrant tokenGrant = stored.get().grant();
        if (!tokenGrant.clientId().equals(caller.client().clientId())) {
            return invalidGrant(caller, "refresh token was issued to another client");
        }
        Instant now = now();
        if (token.useTime().isPresent()) {
            return reused(caller, token, now);
        }
        if (!now.isBefore(token.expireTime())) {
            return invalidGrant(caller, "refresh token expired");
        }
        List<String> scopes = tokenGrant.scopes();
        if (requestedScope != null && !requestedScope.isEmpty()) {
            List<String> asked = requestedScope.toStringList();
            if (!scopes.containsAll(asked)) {
                return new Checked.Refused(new Result.Refused(Optional.of(environmentId),
                        Optional.of(caller.client().clientId()),
                        OAuthError.of(OAuth2Error.INVALID_SCOPE, "Scope exceeds what was granted"), "scope widened on refresh"));
            }
            scopes = asked;
        }
        return check(caller, settings, tokenGrant, stored.get().session(), scopes, now, Optional.of(token),
                Optional.empty());
    }

    /** A refresh token came back after its use: the whole grant is revoked (RFC 9700 §4.14.2). */
    private Checked reused(Caller caller, RefreshToken token, Instant now) {
        grants.revokeGrant(caller.environment().id(), token.grantId(), now, "refresh token reused");
        return invalidGrant(caller, "refresh token reused; grant " + token.grantId() + " revoked");
    }

    /**
     * The checks every issue makes (grant, the grant's {@code session} as read, user, membership), then the refresh-token rotation (the presented
     * one, {@code refreshed}, is used up and its successor stored; a lost race is reuse). Runs in the caller's
     * transaction; the signatures follow in {@link #sign}. {@code authorizationCode} is the code being exchanged
     * (for the ID token's {@code c_hash}), empty on a refresh.
     */
    private Checked check(Caller caller, LoginSettings settings, TokenGrant grant, Optional<Session> session,
                          List<String> scopes, Instant now, Optional<RefreshToken> refreshed,
                          Optional<String> authorizationCode) {
        String environmentId = caller.environment().id();
        if (grant.isRevoked()) {
            return invalidGrant(caller, "grant " + grant.id() + " was revoked (" + grant.revokeReason().orElse("") + ")");
        }
        if (session.isEmpty() || !session.get().isActive(now)) {
            return invalidGrant(caller, "session " + grant.sessionId() + " is no longer active");
        }
        // Using the session is activity: its idle expiry moves on (written at most once a minute, D-AP6).
        Instant quietSince = now.minus(Session.ACTIVITY_GRANULARITY);
        if (session.get().lastActiveTime().isBefore(quietSince)) {
            sessions.recordActivity(environmentId, session.get().id(), now, session.get().idleExpiryAfterActivity(now),
                    quietSince);
        }
        // the user and, for an organization's grant, their membership there, in one read
        Optional<User> user;
        List<String> roles = List.of();
        if (grant.organizationId().isPresent()) {
            Optional<UserWithMembership> found = users.findWithMembership(environmentId, grant.userId(),
                    grant.organizationId().get());
            if (found.isEmpty()) {
                return invalidGrant(caller, "user " + grant.userId() + " no longer exists");
            }
            Optional<Membership> membership = found.get().membership()
                    .filter(m -> m.status(now) == MembershipStatus.ACTIVE || m.status(now) == MembershipStatus.PENDING_INVITE);
            if (membership.isEmpty()) {
                return invalidGrant(caller, "user is no longer a member of " + grant.organizationId().get());
            }
            user = Optional.of(found.get().user());
            roles = membership.get().roles();
        } else {
            user = users.findById(environmentId, grant.userId());
            if (user.isEmpty()) {
                return invalidGrant(caller, "user " + grant.userId() + " no longer exists");
            }
        }
        Optional<String> refreshToken = Optional.empty();
        if (scopes.contains("offline_access")) {
            String value = secrets.next(REFRESH_TOKEN_PREFIX);
            RefreshToken successor = new RefreshToken(SecretHash.of(value).hex(), environmentId, grant.id(), now,
                    now.plus(settings.refreshTokenLifetime()), Optional.empty());
            if (refreshed.isPresent()) {
                if (!grants.rotateRefreshToken(refreshed.get().tokenHash(), now, successor)) {
                    return reused(caller, refreshed.get(), now);
                }
            } else {
                grants.insertRefreshToken(successor);
            }
            refreshToken = Optional.of(value);
        } else if (refreshed.isPresent() && !grants.useRefreshToken(refreshed.get().tokenHash(), now)) {
            return reused(caller, refreshed.get(), now);
        }
        TokenGrant scoped = new TokenGrant(grant.id(), grant.environmentId(), grant.clientId(), grant.sessionId(),
                grant.userId(), grant.organizationId(), scopes, grant.nonce(), grant.amr(), grant.authTime(),
                grant.createTime(), grant.revokeTime(), grant.revokeReason());
        List<UserIdentity> linked = scopes.contains("openid") && scopes.contains("profile")
                ? identities.listForUser(environmentId, grant.userId()) : List.of();
        return new Checked.Ready(scoped, user.get(), roles, linked, authorizationCode, refreshToken, now);
    }

    private Result sign(Caller caller, LoginSettings settings, Checked.Ready ready) {
        UserTokenIssuer.UserTokens tokens = issuer.issue(caller.environment(), settings, ready.grant(), ready.user(),
                ready.roles(), ready.identities(), ready.authorizationCode());
        JSONObject json = new JSONObject();
        json.put("access_token", tokens.accessToken());
        json.put("token_type", "Bearer");
        json.put("expires_in", Duration.between(ready.now(), tokens.accessTokenExpiresAt()).toSeconds());
        json.put("scope", String.join(" ", ready.grant().scopes()));
        tokens.idToken().ifPresent(id -> json.put("id_token", id));
        ready.refreshToken().ifPresent(rt -> json.put("refresh_token", rt));
        return new Result.Issued(WireResponse.noStoreJson(200, json.toJSONString(), Map.of()));
    }

    private Checked invalidGrant(Caller caller, String reason) {
        return new Checked.Refused(new Result.Refused(Optional.of(caller.environment().id()),
                Optional.of(caller.client().clientId()),
                OAuthError.of(OAuth2Error.INVALID_GRANT, "The grant is invalid, expired or revoked"), reason));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static String authorityOf(String url) {
        URI uri = URI.create(url);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }
}
