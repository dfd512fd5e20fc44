package dev.gatehouse.oauth.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.environment.EnvironmentDirectory;
import dev.gatehouse.oauth.key.KeyRing;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Verifies access tokens that this server issued: signature, issuer, expiry and not-before. */
public final class AccessTokenVerifier {
    /** Tolerated clock difference between nodes for {@code nbf}; {@code exp} is not stretched. */
    static final Duration NOT_BEFORE_SKEW = Duration.ofSeconds(30);
    private static final int MAX_TOKEN_LENGTH = 8192;

    /** Verified tokens remembered, so a client reusing its token costs no RSA verification per call. */
    static final int CACHE_MAX_ENTRIES = 10_000;

    private final EnvironmentDirectory environments;
    private final KeyRing keyRing;
    private final Clock clock;
    private final java.util.Map<String, CachedVerification> verified = new java.util.concurrent.ConcurrentHashMap<>();

    private record CachedVerification(Verification.Verified result, Instant expiresAt) {}

    public AccessTokenVerifier(EnvironmentDirectory environments, KeyRing keyRing, Clock clock) {
        this.environments = environments;
        this.keyRing = keyRing;
        this.clock = clock;
    }

    /** The outcome: the verified token, or why it was refused (for the audit trail, not the caller). */
    public sealed interface Verification {
        /** {@code claims} holds every verified claim (user tokens carry {@code sid}, {@code oid}, {@code roles}). */
        record Verified(Environment environment, String clientId, String subject, List<String> scopes, String tokenId,
                        Instant expiresAt, JWTClaimsSet claims) implements Verification {}

        /** {@code environmentId} is known when the token named an existing issuer. */
        record Rejected(String reason, java.util.Optional<String> environmentId) implements Verification {
            public Rejected(String reason) {
                this(reason, java.util.Optional.empty());
            }

            Rejected(String reason, Environment environment) {
                this(reason, java.util.Optional.of(environment.id()));
            }
        }
    }

    public Verification verify(String token) {
        if (token != null) {
            CachedVerification cached = verified.get(token);
            if (cached != null) {
                if (cached.expiresAt().isAfter(clock.instant())) {
                    return cached.result();
                }
                verified.remove(token);
            }
        }
        Verification result = verifyUncached(token);
        if (result instanceof Verification.Verified ok && ok.expiresAt() != null) {
            if (verified.size() >= CACHE_MAX_ENTRIES) {
                verified.clear();
            }
            verified.put(token, new CachedVerification(ok, ok.expiresAt()));
        }
        return result;
    }

    private Verification verifyUncached(String token) {
        if (token == null || token.isEmpty()) {
            return new Verification.Rejected("token empty");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            return new Verification.Rejected("token too long");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return new Verification.Rejected("token is not a signed JWT");
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            return new Verification.Rejected("unexpected signing algorithm");
        }
        String issuer = claims.getIssuer();
        Environment environment = issuer == null ? null : environments.byIssuer(issuer).orElse(null);
        if (environment == null) {
            return new Verification.Rejected("unknown issuer");
        }
        String kid = jwt.getHeader().getKeyID();
        RSAPublicKey key = kid == null ? null : keyRing.keys(environment.id()).verificationKeys().get(kid);
        if (key == null) {
            return new Verification.Rejected("unknown signing key", environment);
        }
        try {
            if (!jwt.verify(new RSASSAVerifier(key))) {
                return new Verification.Rejected("bad signature", environment);
            }
        } catch (com.nimbusds.jose.JOSEException e) {
            return new Verification.Rejected("bad signature", environment);
        }
        Instant now = clock.instant();
        Date expiry = claims.getExpirationTime();
        if (expiry == null || !expiry.toInstant().isAfter(now)) {
            return new Verification.Rejected("token expired", environment);
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.toInstant().isAfter(now.plus(NOT_BEFORE_SKEW))) {
            return new Verification.Rejected("token not yet valid", environment);
        }
        try {
            String clientId = claims.getStringClaim("client_id");
            List<String> scopes = claims.getStringListClaim("scopes");
            return new Verification.Verified(environment, clientId, claims.getSubject(),
                    scopes == null ? List.of() : scopes, claims.getJWTID(), expiry.toInstant(), claims);
        } catch (ParseException e) {
            return new Verification.Rejected("malformed claims", environment);
        }
    }
}
