package dev.gatehouse.core.connection;

/** A connection to create: its protocol and IdP product; the IdP's details come with later updates. */
public record NewConnection(ConnectionType type, ConnectionProvider provider) {}
