package dev.gatehouse.core.directory;

import java.time.Instant;
import java.util.Optional;

/** A source of users and groups for one organization, with its own SCIM endpoint and bearer tokens. */
public record Directory(
        String id,
        String environmentId,
        String organizationId,
        String name,
        DirectoryType type,
        DirectoryProvider provider,
        boolean enabled,
        Optional<Instant> lastSyncedAt,
        Instant createTime,
        Instant updateTime) {

    public Directory withEnabled(boolean value, Instant now) {
        return new Directory(id, environmentId, organizationId, name, type, provider, value, lastSyncedAt, createTime, now);
    }

    public Directory withLastSync(Instant now) {
        return new Directory(id, environmentId, organizationId, name, type, provider, enabled, Optional.of(now), createTime, updateTime);
    }

    /** {@code {issuer}/directory/{id}/scim/v2}: the SCIM base URL that the IdP is given. */
    public String scimEndpoint(String issuerUrl) {
        String base = issuerUrl.endsWith("/") ? issuerUrl.substring(0, issuerUrl.length() - 1) : issuerUrl;
        return base + "/directory/" + id + "/scim/v2";
    }
}
