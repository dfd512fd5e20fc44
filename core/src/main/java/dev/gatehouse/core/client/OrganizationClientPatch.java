package dev.gatehouse.core.client;

import java.util.List;
import java.util.Optional;

/** An UpdateOrganizationClient request: present fields change, absent ones stay (D-C6). */
public record OrganizationClientPatch(Optional<String> name, Optional<String> description,
                                      Optional<List<String>> scopes, Optional<List<String>> audience,
                                      Optional<List<CustomClaim>> customClaims, Optional<Long> expirySeconds) {}
