package dev.gatehouse.core.login;

import dev.gatehouse.core.ratelimit.RateLimit;

/**
 * The hosted login's rate limits: email submissions per client IP, and codes or magic links per client IP and per
 * address (each per minute, shared by all nodes). {@link #DEFAULTS} suit people; a load test from one address needs
 * more (GATEHOUSE_LOGIN_EMAILS_PER_IP, GATEHOUSE_LOGIN_PROOFS_PER_IP).
 */
public record LoginLimits(RateLimit emailsPerIp, RateLimit proofsPerIp, RateLimit proofsPerAccount) {
    public static final LoginLimits DEFAULTS = new LoginLimits(RateLimit.perMinute(20), RateLimit.perMinute(30),
            RateLimit.perMinute(10));
}
