package dev.gatehouse.oauth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.oauth.key.KeyRing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Signs JWT access tokens with the environment's active key. */
public final class AccessTokenIssuer {
    private final KeyRing keyRing;
    private final IdGenerator ids;
    private final Clock clock;

    public AccessTokenIssuer(KeyRing keyRing, IdGenerator ids, Clock clock) {
        this.keyRing = keyRing;
        this.ids = ids;
        this.clock = clock;
    }

    public record IssuedToken(String value, String tokenId, Instant expiresAt) {
        @Override
        public String toString() {
            return "IssuedToken[jti=" + tokenId + ", value=redacted]";
        }
    }

    /** A client_credentials token: {@code sub} and {@code client_id} are the client, {@code scopes} an array. */
    public IssuedToken issueClientToken(Environment environment, String clientId, List<String> scopes, Duration lifetime) {
        KeyRing.ActiveKey key = keyRing.keys(environment.id()).active()
                .orElseThrow(() -> new IllegalStateException("environment " + environment.id() + " has no active signing key"));
        Instant now = clock.instant();
        Instant expiresAt = now.plus(lifetime);
        String jti = ids.next(IdPrefix.TOKEN);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(environment.issuerUrl())
                .subject(clientId)
                .claim("client_id", clientId)
                .claim("scopes", scopes)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .jwtID(jti)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm())
                .keyID(key.kid()).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed with key " + key.kid(), e);
        }
        return new IssuedToken(jwt.serialize(), jti, expiresAt);
    }
}
