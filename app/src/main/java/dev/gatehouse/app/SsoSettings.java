package dev.gatehouse.app;

import java.time.Duration;

/**
 * Settings of SSO connections: whether IdP metadata URLs may point at private, loopback or link-local addresses
 * ({@code GATEHOUSE_SSO_ALLOW_PRIVATE_METADATA}, dev only), how often metadata URLs are fetched again
 * ({@code GATEHOUSE_SSO_METADATA_REFRESH_MINUTES}) and the clock skew tolerated on every SAML time check
 * ({@code GATEHOUSE_SSO_CLOCK_SKEW_SECONDS}, 120 by default, at most 600).
 */
public record SsoSettings(boolean allowPrivateMetadataUrls, Duration metadataRefreshInterval, Duration samlClockSkew) {}
