package dev.gatehouse.core.social;

import dev.gatehouse.core.connection.SealedValue;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An environment's settings for one social provider: its OAuth client there (the secret only ever sealed) and the
 * endpoints, each empty when the provider's real one applies (tests and proxies override them).
 */
public record SocialConnection(
        String environmentId,
        SocialProvider provider,
        String clientId,
        SealedValue clientSecret,
        List<String> scopes,
        Optional<String> authorizeUrl,
        Optional<String> tokenUrl,
        Optional<String> profileUrl,
        boolean enabled,
        Instant createTime,
        Instant updateTime) {

    public SocialConnection {
        scopes = List.copyOf(scopes);
    }

    public List<String> effectiveScopes() {
        return scopes.isEmpty() ? provider.defaultScopes() : scopes;
    }

    public String effectiveAuthorizeUrl() {
        return authorizeUrl.orElse(provider.defaultAuthorizeUrl());
    }

    public String effectiveTokenUrl() {
        return tokenUrl.orElse(provider.defaultTokenUrl());
    }

    public String effectiveProfileUrl() {
        return profileUrl.orElse(provider.defaultProfileUrl());
    }
}
