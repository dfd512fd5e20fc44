package dev.gatehouse.core.user;

/**
 * Port: ends every session of a user in an environment (their refresh tokens and session cookies stop working).
 * Called inside the caller's transaction when a user loses access, e.g. when directory sync deactivates or
 * deprovisions them (docs/DECISIONS.md D-L3). The sessions work implements it; {@link #NONE} does nothing.
 */
public interface UserSessionRevoker {
    UserSessionRevoker NONE = (environmentId, userId) -> { };

    void revokeAll(String environmentId, String userId);
}
