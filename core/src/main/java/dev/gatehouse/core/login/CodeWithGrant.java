package dev.gatehouse.core.login;

import java.util.Optional;

/**
 * An authorization code with the grant it belongs to and the grant's session (each empty when that row is gone), as
 * one read returns them: the code exchange's first step.
 */
public record CodeWithGrant(AuthorizationCode code, Optional<TokenGrant> grant, Optional<Session> session) {}
