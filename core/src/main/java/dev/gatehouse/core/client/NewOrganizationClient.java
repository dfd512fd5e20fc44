package dev.gatehouse.core.client;

import java.util.List;
import java.util.Optional;

/** A CreateOrganizationClient request, parsed; an absent expiry means the default (3,600 s). */
public record NewOrganizationClient(String name, String description, List<String> scopes, List<String> audience,
                                    List<CustomClaim> customClaims, Optional<Long> expirySeconds) {}
