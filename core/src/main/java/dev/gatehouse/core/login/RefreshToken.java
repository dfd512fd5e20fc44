package dev.gatehouse.core.login;

import java.time.Instant;
import java.util.Optional;

/** One link of a grant's refresh-token chain (stored as its SHA-256). A used token is never accepted again. */
public record RefreshToken(
        String tokenHash,
        String environmentId,
        String grantId,
        Instant createTime,
        Instant expireTime,
        Optional<Instant> useTime) {}
