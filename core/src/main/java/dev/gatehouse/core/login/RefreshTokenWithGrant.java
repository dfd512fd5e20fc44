package dev.gatehouse.core.login;

/** A refresh token with the grant it belongs to, as one read returns them (the refresh grant's first step). */
public record RefreshTokenWithGrant(RefreshToken token, TokenGrant grant) {}
