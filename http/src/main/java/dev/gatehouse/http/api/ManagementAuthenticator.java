package dev.gatehouse.http.api;

import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.credential.EnvironmentClientRepository;
import dev.gatehouse.oauth.token.AccessTokenVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether an {@code Authorization} header admits a management call: a Bearer token issued
 * by this server to a management client of the token's environment, unexpired. Every refusal is
 * audited. Blocking (it may read the database): call it off the event loop.
 */
public final class ManagementAuthenticator {
    private static final Duration CLIENT_CACHE_TTL = Duration.ofSeconds(10);
    private static final int CLIENT_CACHE_MAX = 10_000;

    private final AccessTokenVerifier verifier;
    private final EnvironmentClientRepository clients;
    private final AuditTrail audit;
    private final Clock clock;
    private final Map<String, CachedClient> clientCache = new ConcurrentHashMap<>();

    private record CachedClient(Optional<String> environmentId, Instant loadedAt) {}

    /** The outcome: the caller, or the message to answer with (UNAUTHENTICATED). */
    public sealed interface Decision {
        record Admitted(Caller caller) implements Decision {}

        record Refused(String message) implements Decision {}
    }

    public ManagementAuthenticator(AccessTokenVerifier verifier, EnvironmentClientRepository clients,
                                   AuditTrail audit, Clock clock) {
        this.verifier = verifier;
        this.clients = clients;
        this.audit = audit;
        this.clock = clock;
    }

    public Decision authenticate(String authorization, String method, Optional<String> remoteAddress) {
        if (authorization == null || authorization.isBlank()) {
            return refuse("Token empty", "missing_token", "missing bearer token", method, remoteAddress, Optional.empty());
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refuse("Authorization must be a Bearer token", "invalid_request", "not a bearer token", method,
                    remoteAddress, Optional.empty());
        }
        var verification = verifier.verify(authorization.substring(7).strip());
        if (verification instanceof AccessTokenVerifier.Verification.Rejected rejected) {
            return refuse("Invalid or expired token", "invalid_token", rejected.reason(), method, remoteAddress,
                    rejected.environmentId());
        }
        var verified = (AccessTokenVerifier.Verification.Verified) verification;
        String clientId = verified.clientId();
        if (clientId == null || !verified.environment().id().equals(environmentOfClient(clientId).orElse(null))) {
            return refuse("Invalid or expired token", "invalid_client",
                    "token was not issued to a management client of this environment",
                    method, remoteAddress, Optional.of(verified.environment().id()));
        }
        return new Decision.Admitted(new Caller(verified.environment(), clientId));
    }

    private Optional<String> environmentOfClient(String clientId) {
        Instant now = clock.instant();
        CachedClient cached = clientCache.get(clientId);
        if (cached == null || cached.loadedAt().plus(CLIENT_CACHE_TTL).isBefore(now)) {
            if (clientCache.size() >= CLIENT_CACHE_MAX) {
                clientCache.clear();
            }
            cached = new CachedClient(clients.findById(clientId).map(c -> c.environmentId()), now);
            clientCache.put(clientId, cached);
        }
        return cached.environmentId();
    }

    private Decision refuse(String message, String reasonCode, String reason, String method,
                            Optional<String> remoteAddress, Optional<String> environmentId) {
        audit.append(new AuditRecord(clock.instant(), environmentId, Optional.empty(), "management_api.auth.rejected",
                AuditRecord.Outcome.FAILURE, Optional.empty(), Optional.of(reason), remoteAddress, Map.of("method", method))
                .withReasonCode(reasonCode));
        return new Decision.Refused(message);
    }
}
