package dev.gatehouse.core.client;

/** A CreateClient request, parsed. */
public record NewAppClient(String name, String clientType, AppClientSettings settings) {}
