package dev.gatehouse.core.login;

import java.util.Optional;

/**
 * A refresh token with the grant it belongs to and the grant's session (empty when that row is gone), as one read
 * returns them: the refresh grant's first step.
 */
public record RefreshTokenWithGrant(RefreshToken token, TokenGrant grant, Optional<Session> session) {}
