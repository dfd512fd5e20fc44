package dev.gatehouse.oauth.token;

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
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;

/**
 * The {@code idp_initiated_login} JWT (spec-sso R-SSO-69/70): signed with the environment's active key (verifiable at
 * {@code /keys}, as the SDKs' {@code getIdpInitiatedLoginClaims} does), carrying {@code connection_id},
 * {@code organization_id}, {@code login_hint} and, when the IdP sent one, {@code relay_state}; it lives 300 s.
 * The app turns it into an SP-initiated login with those selectors.
 */
public final class IdpInitiatedLoginTokens {
    public static final Duration LIFETIME = Duration.ofSeconds(300);

    private final KeyRing keyRing;
    private final IdGenerator ids;
    private final Clock clock;
    private final SigningPool signingPool;

    public IdpInitiatedLoginTokens(KeyRing keyRing, IdGenerator ids, Clock clock, SigningPool signingPool) {
        this.keyRing = keyRing;
        this.ids = ids;
        this.clock = clock;
        this.signingPool = signingPool;
    }

    public String issue(Environment environment, String connectionId, String organizationId, String loginHint,
                        Optional<String> relayState) {
        KeyRing.ActiveKey key = keyRing.keys(environment.id()).active()
                .orElseThrow(() -> new IllegalStateException("environment " + environment.id() + " has no active signing key"));
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(environment.issuerUrl())
                .claim("connection_id", connectionId)
                .claim("organization_id", organizationId)
                .claim("login_hint", loginHint)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .jwtID(ids.next(IdPrefix.TOKEN));
        relayState.ifPresent(value -> claims.claim("relay_state", value));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm()).keyID(key.kid()).type(JOSEObjectType.JWT)
                .build(), claims.build());
        signingPool.sign(jwt, key);
        return jwt.serialize();
    }
}
