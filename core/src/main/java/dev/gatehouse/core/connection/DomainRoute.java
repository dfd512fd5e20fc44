package dev.gatehouse.core.connection;

/** A domain found for login routing, with everything about its organization that routing needs. */
public record DomainRoute(Domain domain, OrganizationRoute organization) {}
