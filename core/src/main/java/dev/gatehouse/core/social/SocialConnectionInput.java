package dev.gatehouse.core.social;

import java.util.List;
import java.util.Optional;

/**
 * A put of one provider's settings as parsed at the edge. {@code clientSecret} empty keeps the stored one (a first
 * put must carry it).
 */
public record SocialConnectionInput(
        String provider,
        String clientId,
        Optional<String> clientSecret,
        List<String> scopes,
        Optional<String> authorizeUrl,
        Optional<String> tokenUrl,
        Optional<String> profileUrl,
        boolean enabled) {

    public SocialConnectionInput {
        scopes = List.copyOf(scopes);
    }

    @Override
    public String toString() {
        return "SocialConnectionInput[" + provider + ", " + clientId + "]";
    }
}
