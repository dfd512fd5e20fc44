package dev.gatehouse.oauth.token;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.login.LoginSettings;
import dev.gatehouse.core.login.TokenGrant;
import dev.gatehouse.core.login.UserIdentity;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.user.User;
import dev.gatehouse.core.user.UserProfile;
import dev.gatehouse.oauth.key.KeyRing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Signs the tokens of a user grant: the access token ({@code sub}, {@code oid}, {@code sid}, {@code roles},
 * {@code scopes} as an array, {@code client_id}, {@code jti}) and the OpenID Connect ID token (spec §1.5 claims,
 * {@code nonce}, {@code auth_time}, {@code at_hash}, {@code c_hash} when issued for an authorization code; with the
 * {@code profile} scope also {@code identities} and {@code custom_attributes}, D-PR1, D-PR2). The access token's {@code jti} starts with its grant's ID,
 * so that introspection and userinfo can tell when the grant was revoked.
 */
public final class UserTokenIssuer {
    private final KeyRing keyRing;
    private final IdGenerator ids;
    private final Clock clock;
    private final SigningPool signingPool;

    public UserTokenIssuer(KeyRing keyRing, IdGenerator ids, Clock clock, SigningPool signingPool) {
        this.keyRing = keyRing;
        this.ids = ids;
        this.clock = clock;
        this.signingPool = signingPool;
    }

    /** The signed pair; {@code idToken} is empty when the grant's scopes lack {@code openid}. */
    public record UserTokens(String accessToken, Optional<String> idToken, Instant accessTokenExpiresAt) {
        @Override
        public String toString() {
            return "UserTokens[redacted, expires " + accessTokenExpiresAt + "]";
        }
    }

    /** The grant ID inside a user access token's {@code jti}, or empty for other tokens. */
    public static Optional<String> grantIdOf(String jti) {
        if (jti == null || !jti.startsWith(IdPrefix.GRANT.wire())) {
            return Optional.empty();
        }
        int dot = jti.indexOf('.');
        return dot > 0 ? Optional.of(jti.substring(0, dot)) : Optional.empty();
    }

    /**
     * {@code identities} are the user's linked identities (read only for grants with the {@code profile} scope);
     * {@code authorizationCode} is the code this ID token is issued for (OIDC Core §3.3.2.11 {@code c_hash}), empty on
     * a refresh.
     */
    public UserTokens issue(Environment environment, LoginSettings settings, TokenGrant grant, User user,
                            List<String> roles, List<UserIdentity> identities, Optional<String> authorizationCode) {
        KeyRing.ActiveKey key = keyRing.keys(environment.id()).active()
                .orElseThrow(() -> new IllegalStateException("environment " + environment.id() + " has no active signing key"));
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant accessExpiry = now.plus(settings.accessTokenLifetime());
        JWTClaimsSet.Builder access = new JWTClaimsSet.Builder()
                .issuer(environment.issuerUrl())
                .subject(user.id())
                .audience(grant.clientId())
                .claim("client_id", grant.clientId())
                .claim("sid", grant.sessionId())
                .claim("roles", roles)
                .claim("scopes", grant.scopes())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(accessExpiry))
                .jwtID(grant.id() + "." + ids.next(IdPrefix.TOKEN));
        grant.organizationId().ifPresent(org -> access.claim("oid", org));
        user.externalId().ifPresent(external -> access.claim("xuid", external));
        SignedJWT accessJwt = new SignedJWT(key.jwtHeader(), access.build());
        if (!grant.scopes().contains("openid")) {
            signingPool.sign(accessJwt, key);
            return new UserTokens(accessJwt.serialize(), Optional.empty(), accessExpiry);
        }
        JWTClaimsSet.Builder id = new JWTClaimsSet.Builder()
                .issuer(environment.issuerUrl())
                .subject(user.id())
                .audience(List.of(grant.clientId()))
                .claim("azp", grant.clientId())
                .claim("client_id", grant.clientId())
                .claim("sid", grant.sessionId())
                .claim("amr", grant.amr())
                .claim("roles", roles)
                .claim("auth_time", grant.authTime().getEpochSecond())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(settings.idTokenLifetime())));
        grant.organizationId().ifPresent(org -> id.claim("oid", org));
        grant.nonce().ifPresent(nonce -> id.claim("nonce", nonce));
        if (grant.scopes().contains("email")) {
            id.claim("email", user.email()).claim("email_verified", user.emailVerified());
        }
        if (grant.scopes().contains("profile")) {
            profileClaims(user).forEach(id::claim);
            id.claim(IdentitiesClaim.NAME, IdentitiesClaim.of(identities).value());
        }
        authorizationCode.ifPresent(code -> id.claim("c_hash", leftHalfHash(code)));
        // Both signatures under one permit (D-TP8); at_hash needs the signed access token.
        return signingPool.withPermit(() -> {
            SigningPool.signHoldingPermit(accessJwt, key);
            String accessToken = accessJwt.serialize();
            SignedJWT idJwt = new SignedJWT(key.jwtHeader(), id.claim("at_hash", leftHalfHash(accessToken)).build());
            SigningPool.signHoldingPermit(idJwt, key);
            return new UserTokens(accessToken, Optional.of(idJwt.serialize()), accessExpiry);
        });
    }

    /**
     * The OIDC standard claims of the {@code profile} scope that the user has (empty values are left out), and the
     * user's {@code custom_attributes} as one object when there are any (D-PR2).
     */
    public static java.util.Map<String, Object> profileClaims(User user) {
        UserProfile p = user.profile();
        java.util.Map<String, Object> claims = new java.util.LinkedHashMap<>();
        // The SDK and the API fill first_name/last_name; the OIDC names fall back to them, and so does name.
        String givenName = p.givenName().isEmpty() ? p.firstName() : p.givenName();
        String familyName = p.familyName().isEmpty() ? p.lastName() : p.familyName();
        String name = !p.name().isEmpty() ? p.name() : (givenName + " " + familyName).strip();
        putIfPresent(claims, "name", name);
        putIfPresent(claims, "given_name", givenName);
        putIfPresent(claims, "family_name", familyName);
        putIfPresent(claims, "preferred_username", p.preferredUsername());
        putIfPresent(claims, "picture", p.picture());
        putIfPresent(claims, "locale", p.locale());
        putIfPresent(claims, "gender", p.gender());
        if (!p.customAttributes().isEmpty()) {
            claims.put("custom_attributes", new java.util.TreeMap<>(p.customAttributes()));
        }
        claims.put("updated_at", user.updateTime().getEpochSecond());
        return claims;
    }

    private static void putIfPresent(java.util.Map<String, Object> claims, String name, String value) {
        if (value != null && !value.isEmpty()) {
            claims.put(name, value);
        }
    }

    /** OIDC Core §3.1.3.6 / §3.3.2.11: base64url of the left half of SHA-256 over the token's (or code's) ASCII. */
    static String leftHalfHash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64URL.encode(Arrays.copyOf(digest, digest.length / 2)).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
