package dev.gatehouse.core.client;

/** One extra claim of an organization client's access tokens: a top-level string claim. */
public record CustomClaim(String key, String value) {}
