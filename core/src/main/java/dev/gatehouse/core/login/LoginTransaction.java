package dev.gatehouse.core.login;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One hosted-login attempt: the authorize request it serves, its step, and what has been proven so far.
 * It is bound to one browser by the hash of a cookie value; its forms carry a CSRF token derived from that value.
 */
public record LoginTransaction(
        String id,
        String environmentId,
        AuthorizeRequest request,
        LoginStep step,
        Optional<String> email,
        Optional<String> userId,
        Optional<String> challengeId,
        Optional<String> connectionId,
        List<String> amr,
        String browserHash,
        int failedAttempts,
        Instant createTime,
        Instant updateTime,
        Instant expireTime) {

    public LoginTransaction {
        amr = List.copyOf(amr);
    }

    /**
     * A test of a connection started from the admin portal (docs/DECISIONS.md D-AP4): it ends with a result page, never
     * with a user, session or code.
     */
    public boolean testsConnection() {
        return LoginService.CONNECTION_TEST_CLIENT.equals(request.clientId());
    }

    /** The user is known from this browser's existing session: no code, link or identity provider proved it here. */
    public boolean provenBySession() {
        return userId.isPresent() && challengeId.isEmpty() && connectionId.isEmpty();
    }

    public LoginTransaction moveTo(LoginStep next, Instant now) {
        if (!step.canMoveTo(next)) {
            throw new IllegalStateException("login " + id + " cannot move from " + step + " to " + next);
        }
        return new LoginTransaction(id, environmentId, request, next, email, userId, challengeId, connectionId, amr, browserHash,
                failedAttempts, createTime, now, expireTime);
    }

    public LoginTransaction withEmail(String address, String challenge, Instant now) {
        return new LoginTransaction(id, environmentId, request, step, Optional.of(address), userId, Optional.of(challenge),
                connectionId, amr, browserHash, failedAttempts, createTime, now, expireTime);
    }

    public LoginTransaction withUser(String user, Instant now) {
        return new LoginTransaction(id, environmentId, request, step, email, Optional.of(user), challengeId,
                connectionId, amr, browserHash, failedAttempts, createTime, now, expireTime);
    }

    /** The proof of identity: {@code amr} values, and the connection that proved it (for federated sign-ins). */
    public LoginTransaction withProof(List<String> proof, Optional<String> connection, Instant now) {
        return new LoginTransaction(id, environmentId, request, step, email, userId, challengeId, connection,
                List.copyOf(proof), browserHash, failedAttempts, createTime, now, expireTime);
    }

    public LoginTransaction withFailedAttempt(Instant now) {
        return new LoginTransaction(id, environmentId, request, step, email, userId, challengeId, connectionId, amr, browserHash,
                failedAttempts + 1, createTime, now, expireTime);
    }
}
