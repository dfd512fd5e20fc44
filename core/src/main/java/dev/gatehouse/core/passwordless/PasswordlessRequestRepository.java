package dev.gatehouse.core.passwordless;

import java.time.Instant;
import java.util.Optional;

/** Storage of passwordless requests. Every lookup is scoped to an environment. */
public interface PasswordlessRequestRepository {
    void insert(PasswordlessRequest request);

    /** The request, locked until the current transaction ends (verify and resend run inside one). */
    Optional<PasswordlessRequest> lockById(String environmentId, String id);

    /** The request whose link token has this SHA-256, locked until the current transaction ends. */
    Optional<PasswordlessRequest> lockByLinkTokenHash(String environmentId, String linkTokenHash);

    /** Writes the mutable parts: credentials, expiry, send count, failed attempts, verification time. */
    void update(PasswordlessRequest request);

    void delete(String environmentId, String id);

    /** Maintenance across environments: forgets requests that expired before {@code before}; how many. */
    int deleteExpiredBefore(Instant before);
}
