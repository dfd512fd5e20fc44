package dev.gatehouse.core.login;

import java.time.Instant;
import java.util.Optional;

/** A one-use authorization code (stored as its SHA-256), bound to its grant, redirect URI and PKCE challenge. */
public record AuthorizationCode(
        String codeHash,
        String environmentId,
        String grantId,
        String redirectUri,
        Optional<String> codeChallenge,
        Instant createTime,
        Instant expireTime,
        Optional<Instant> useTime) {}
