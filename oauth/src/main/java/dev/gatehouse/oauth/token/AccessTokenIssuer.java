package dev.gatehouse.oauth.token;

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
import java.util.Map;
import java.util.Optional;

/** Signs JWT access tokens with the environment's active key. */
public final class AccessTokenIssuer {
    private final KeyRing keyRing;
    private final IdGenerator ids;
    private final Clock clock;
    private final SigningPool signingPool;

    /**
     * @param signingPool where RSA signatures are computed: a pool as large as the machine has cores,
     *                    so that CPU-bound signing never has more runnable threads than cores (the
     *                    caller parks meanwhile) and the event loops keep getting the CPU
     */
    public AccessTokenIssuer(KeyRing keyRing, IdGenerator ids, Clock clock, SigningPool signingPool) {
        this.keyRing = keyRing;
        this.ids = ids;
        this.clock = clock;
        this.signingPool = signingPool;
    }

    public record IssuedToken(String value, String tokenId, Instant expiresAt) {
        @Override
        public String toString() {
            return "IssuedToken[jti=" + tokenId + ", value=redacted]";
        }
    }

    /** A client_credentials token: {@code sub} and {@code client_id} are the client, {@code scopes} an array. */
    public IssuedToken issueClientToken(Environment environment, String clientId, List<String> scopes, Duration lifetime) {
        return issueClientToken(environment, clientId, scopes, lifetime, List.of(), Map.of());
    }

    /**
     * A client_credentials token with an audience ({@code aud}, when not empty) and extra top-level claims
     * (an organization client's {@code oid} and custom claims). Extra claims never replace the registered
     * ones set here.
     */
    public IssuedToken issueClientToken(Environment environment, String clientId, List<String> scopes, Duration lifetime,
                                        List<String> audience, Map<String, Object> extraClaims) {
        KeyRing.ActiveKey key = keyRing.keys(environment.id()).active()
                .orElseThrow(() -> new IllegalStateException("environment " + environment.id() + " has no active signing key"));
        Unsigned token = clientToken(key, environment, clientId, scopes, lifetime, audience, extraClaims);
        signingPool.sign(token.jwt(), key);
        return token.signed();
    }

    /**
     * An environment client's client_credentials token, signed on the caller's thread without a signing permit, when
     * the environment's keys are in memory; otherwise empty, having read nothing. For the token endpoint's event-loop
     * path (D-TP11): the event loops are as many as the cores, which bounds these signatures as the permits
     * bound the blocking threads' ones, and an event loop must not park waiting for a permit.
     */
    public Optional<IssuedToken> issueClientTokenFromMemory(Environment environment, String clientId, List<String> scopes,
                                                            Duration lifetime) {
        var key = keyRing.inMemory(environment.id()).flatMap(KeyRing.EnvironmentKeys::active);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        Unsigned token = clientToken(key.get(), environment, clientId, scopes, lifetime, List.of(), Map.of());
        SigningPool.signHoldingPermit(token.jwt(), key.get());
        return Optional.of(token.signed());
    }

    /** A token's JWT before its signature, with what the issued token reports. */
    private record Unsigned(SignedJWT jwt, String tokenId, Instant expiresAt) {
        IssuedToken signed() {
            return new IssuedToken(jwt.serialize(), tokenId, expiresAt);
        }
    }

    private Unsigned clientToken(KeyRing.ActiveKey key, Environment environment, String clientId, List<String> scopes,
                                  Duration lifetime, List<String> audience, Map<String, Object> extraClaims) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(lifetime);
        String jti = ids.next(IdPrefix.TOKEN);
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
        extraClaims.forEach(builder::claim);
        if (!audience.isEmpty()) {
            builder.audience(audience);
        }
        JWTClaimsSet claims = builder
                .issuer(environment.issuerUrl())
                .subject(clientId)
                .claim("client_id", clientId)
                .claim("scopes", scopes)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .jwtID(jti)
                .build();
        return new Unsigned(new SignedJWT(key.jwtHeader(), claims), jti, expiresAt);
    }
}
