package dev.gatehouse.core.user;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A partial membership update: present fields replace, empty ones keep. */
public record MembershipPatch(Optional<List<String>> roles, Optional<Map<String, String>> metadata) {}
