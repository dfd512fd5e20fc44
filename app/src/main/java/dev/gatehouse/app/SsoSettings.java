package dev.gatehouse.app;

import java.time.Duration;

/**
 * Settings of SSO connections: whether IdP metadata URLs may point at private, loopback or link-local addresses
 * ({@code GATEHOUSE_SSO_ALLOW_PRIVATE_METADATA}, dev only) and how often metadata URLs are fetched again
 * ({@code GATEHOUSE_SSO_METADATA_REFRESH_MINUTES}).
 */
public record SsoSettings(boolean allowPrivateMetadataUrls, Duration metadataRefreshInterval) {}
